using Microsoft.ML.Pruning.Pruning;

namespace Microsoft.ML.Pruning;

/// <summary>Magnitude pruning, Han et al. 2015: masks the smallest weights element-wise (they stay zero through fine-tuning), by rate or by the per-layer mean-|w| threshold; or, with Structured, removes the units with the smallest incoming-weight norm.</summary>
public sealed class MagnitudePruningEstimator : PruningEstimator
{
    internal MagnitudePruningEstimator(PruningContext context, MagnitudePruningOptions options)
        : base(context, options)
    {
        Options = options;
    }

    /// <summary>Gets the options the stage was built with.</summary>
    public new MagnitudePruningOptions Options { get; }

    internal override PruningMethod CreateMethod() => Options.Structured ? new StructuredPruning(new WeightNormImportance(WeightNorm.L2), Options.StructuredOptions()) : new UnstructuredMagnitudePruning(new UnstructuredMagnitudePruningOptions { Mode = Options.Threshold, QualityFactor = Options.QualityFactor, Ranking = Options.Ranking, Layers = Options.Layers, IncludeOutputLayer = Options.IncludeOutputLayer });
}
