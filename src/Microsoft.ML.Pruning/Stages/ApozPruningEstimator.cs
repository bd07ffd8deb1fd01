using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Prunes the units whose activations are most often zero: Average Percentage of Zeros (Hu et al. 2016, Network Trimming).</summary>
public sealed class ApozPruningEstimator : PruningEstimator
{
    internal ApozPruningEstimator(ApozPruningOptions options, int contextSeed, IHostEnvironment? environment)
        : base(options, contextSeed, environment)
    {
    }
}
