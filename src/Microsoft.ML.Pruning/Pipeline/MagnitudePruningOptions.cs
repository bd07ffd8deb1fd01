using Microsoft.ML.Pruning.Pruning;

namespace Microsoft.ML.Pruning;

/// <summary>Options of <see cref="MagnitudePruningEstimator"/>.</summary>
public sealed class MagnitudePruningOptions : PruningEstimatorOptions
{
    /// <summary>Gets or sets whether whole units are removed (by incoming-weight norm) instead of single weights masked.</summary>
    /// <value>The default is <see langword="false"/>: element-wise masks.</value>
    public bool Structured { get; set; }

    /// <summary>Gets or sets how element-wise pruning picks weights: the smallest <see cref="PruningEstimatorOptions.Rate"/> fraction, or those under the layer's mean |w| times <see cref="QualityFactor"/>.</summary>
    /// <value>The default is <see cref="MagnitudeThreshold.Rate"/>.</value>
    public MagnitudeThreshold Threshold { get; set; } = MagnitudeThreshold.Rate;

    /// <summary>Gets or sets whether element-wise pruning also masks the output layer's weights (Han et al. prune every layer).</summary>
    /// <value>The default is <see langword="true"/>; structured pruning never touches the output layer.</value>
    public bool IncludeOutputLayer { get; set; } = true;

    /// <summary>Gets or sets the factor on the per-layer mean |w| in <see cref="MagnitudeThreshold.MeanThreshold"/> mode.</summary>
    /// <value>The default is 1; it must be positive.</value>
    public double QualityFactor { get; set; } = 1;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        OptionChecks.Require(Enum.IsDefined(Threshold), nameof(Threshold), Threshold, "must be Rate or MeanThreshold");
        OptionChecks.Require(QualityFactor > 0 && double.IsFinite(QualityFactor), nameof(QualityFactor), QualityFactor, "must be positive and finite");
    }
}
