using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Structure;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Prunes the units whose removal changes the loss least, by the first-order Taylor estimate (Molchanov et al. 2017, Pruning Convolutional Neural Networks for Resource Efficient Inference).</summary>
public sealed class TaylorPruningEstimator : PruningEstimator
{
    internal TaylorPruningEstimator(TaylorPruningOptions options, int contextSeed)
        : base(options, contextSeed)
    {
    }

    private TaylorPruningOptions Options => (TaylorPruningOptions)Settings;

    internal override PruningMethod CreateMethod() => new StructuredPruning(new TaylorImportance(Options.NormalizePerLayer), Options.StructuredOptions());
}
