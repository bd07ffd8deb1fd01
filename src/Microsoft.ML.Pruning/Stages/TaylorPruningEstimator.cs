using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Prunes the units whose removal changes the loss least, by the first-order Taylor estimate (Molchanov et al. 2017, Pruning Convolutional Neural Networks for Resource Efficient Inference).</summary>
public sealed class TaylorPruningEstimator : PruningEstimator
{
    internal TaylorPruningEstimator(TaylorPruningOptions options, int contextSeed, IHostEnvironment? environment)
        : base(options, contextSeed, environment)
    {
    }
}
