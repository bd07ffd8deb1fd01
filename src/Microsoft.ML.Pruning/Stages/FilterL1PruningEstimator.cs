using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Prunes the filters (or units) with the smallest weight norm (Li et al. 2017, Pruning Filters for Efficient ConvNets).</summary>
public sealed class FilterL1PruningEstimator : PruningEstimator
{
    internal FilterL1PruningEstimator(FilterL1PruningOptions options, int contextSeed, IHostEnvironment? environment)
        : base(options, contextSeed, environment)
    {
    }
}
