using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Structure;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// Zeroes the smallest weights (element-wise, masked so they stay zero through fine-tuning), or with
/// <see cref="MagnitudePruningOptions.Structured"/> removes the units with the smallest L2 norm (Han et al. 2015, Learning
/// both Weights and Connections for Efficient Neural Networks).
/// </summary>
public sealed class MagnitudePruningEstimator : PruningEstimator
{
    internal MagnitudePruningEstimator(MagnitudePruningOptions options, int contextSeed)
        : base(options, contextSeed)
    {
    }

    private MagnitudePruningOptions Options => (MagnitudePruningOptions)Settings;

    internal override PruningMethod CreateMethod() => Options.Structured
        ? new StructuredPruning(new WeightNormImportance(WeightNorm.L2), Options.StructuredOptions())
        : new UnstructuredMagnitudePruning(new UnstructuredMagnitudePruningOptions
        {
            Mode = Options.Mode,
            QualityFactor = Options.QualityFactor,
            Ranking = Options.Ranking,
            Layers = Options.Layers,
            IncludeOutputLayer = Options.IncludeOutputLayer,
        });
}
