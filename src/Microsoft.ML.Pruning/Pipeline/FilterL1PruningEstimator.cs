using Microsoft.ML.Pruning.Pruning;

namespace Microsoft.ML.Pruning;

/// <summary>Removes the convolution filters (and dense units) with the smallest L1 (or L2) weight norm: Li et al. 2016, "Pruning Filters for Efficient ConvNets".</summary>
public sealed class FilterL1PruningEstimator : PruningEstimator
{
    internal FilterL1PruningEstimator(PruningContext context, FilterL1PruningOptions options)
        : base(context, options)
    {
        Options = options;
    }

    /// <summary>Gets the options the stage was built with.</summary>
    public new FilterL1PruningOptions Options { get; }

    internal override PruningMethod CreateMethod() => new StructuredPruning(new WeightNormImportance(Options.Norm), Options.StructuredOptions());
}
