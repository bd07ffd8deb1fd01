using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Structure;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Options of <see cref="MagnitudePruningEstimator"/>: element-wise (masked) magnitude pruning, or structured by L2 norm.</summary>
public sealed class MagnitudePruningOptions : PruningStageOptions
{
    /// <summary>Gets or sets whether whole units are removed (by their weights' L2 norm) instead of single weights being zeroed.</summary>
    /// <value>The default is <see langword="false"/> (element-wise).</value>
    public bool Structured { get; set; }

    /// <summary>Gets or sets how the element-wise threshold is chosen: the rate's quantile, or the mean magnitude times <see cref="QualityFactor"/>.</summary>
    /// <value>The default is <see cref="MagnitudeThreshold.Rate"/>.</value>
    public MagnitudeThreshold Mode { get; set; } = MagnitudeThreshold.Rate;

    /// <summary>Gets or sets whether the output layer's weights may be zeroed (element-wise only).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool IncludeOutputLayer { get; set; } = true;

    /// <summary>Gets or sets the multiple of the mean (or standard deviation) under <see cref="MagnitudeThreshold.MeanThreshold"/>.</summary>
    /// <value>The default is 1; it must be positive and finite.</value>
    public double QualityFactor { get; set; } = 1;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        OptionChecks.Require(Enum.IsDefined(Mode), nameof(Mode), Mode, "must be Rate or MeanThreshold");
        OptionChecks.Require(QualityFactor > 0 && double.IsFinite(QualityFactor), nameof(QualityFactor), QualityFactor, "must be positive and finite");
    }

    internal override PruningMethod CreateMethod() => Structured
        ? new StructuredPruning(new WeightNormImportance(WeightNorm.L2), StructuredOptions())
        : new UnstructuredMagnitudePruning(new UnstructuredMagnitudePruningOptions
        {
            Mode = Mode,
            QualityFactor = QualityFactor,
            Ranking = Ranking,
            Layers = Layers,
            IncludeOutputLayer = IncludeOutputLayer,
        });
}
