using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Structure;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Prunes the filters (or units) with the smallest weight norm (Li et al. 2017, Pruning Filters for Efficient ConvNets).</summary>
public sealed class FilterL1PruningEstimator : PruningEstimator
{
    internal FilterL1PruningEstimator(FilterL1PruningOptions options, int contextSeed)
        : base(options, contextSeed)
    {
    }

    private FilterL1PruningOptions Options => (FilterL1PruningOptions)Settings;

    internal override PruningMethod CreateMethod() => new StructuredPruning(new WeightNormImportance(Options.Norm), Options.StructuredOptions());
}
