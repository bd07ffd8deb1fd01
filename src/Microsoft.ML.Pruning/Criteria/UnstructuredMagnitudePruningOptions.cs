namespace Microsoft.ML.Pruning.Criteria;

/// <summary>Which weights <see cref="UnstructuredMagnitudePruning"/> may mask and how it picks them.</summary>
public sealed class UnstructuredMagnitudePruningOptions
{
    /// <summary>Gets or sets how the weights to mask are chosen.</summary>
    /// <value>The default is <see cref="MagnitudeThreshold.Rate"/>.</value>
    public MagnitudeThreshold Mode { get; set; } = MagnitudeThreshold.Rate;

    /// <summary>
    /// Gets or sets whether, in <see cref="MagnitudeThreshold.Rate"/> mode, each layer loses the same fraction of its
    /// unmasked weights or all layers' weights are ranked together. <see cref="MagnitudeThreshold.MeanThreshold"/> is
    /// always per layer.
    /// </summary>
    /// <value>The default is <see cref="RankingScope.PerLayer"/>.</value>
    public RankingScope Ranking { get; set; } = RankingScope.PerLayer;

    /// <summary>
    /// Gets or sets the multiple of a layer's mean unmasked weight magnitude under which weights are masked in
    /// <see cref="MagnitudeThreshold.MeanThreshold"/> mode (Han et al.'s quality parameter).
    /// </summary>
    /// <value>The default is 1.0; it must be a positive finite number.</value>
    public double QualityFactor { get; set; } = 1.0;

    /// <summary>Gets or sets the names of the Dense and Conv2d layers whose weights may be masked.</summary>
    /// <value>The default is <see langword="null"/>: every Dense and Conv2d layer.</value>
    public IReadOnlyList<string>? Layers { get; set; }

    /// <summary>
    /// Gets or sets whether the output layer (the last Dense or Conv2d layer in node order) may be masked; when
    /// <see langword="false"/> it is left alone even if <see cref="Layers"/> names it.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool IncludeOutputLayer { get; set; } = true;

    /// <summary>Checks every option and throws for the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    /// <exception cref="ArgumentException"><see cref="Layers"/> is empty or holds an empty name.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Mode must be MagnitudeThreshold.Rate or MagnitudeThreshold.MeanThreshold.");
        }

        if (!Enum.IsDefined(Ranking))
        {
            throw new ArgumentOutOfRangeException(nameof(Ranking), Ranking, "Ranking must be RankingScope.PerLayer or RankingScope.Global.");
        }

        if (!(QualityFactor > 0) || !double.IsFinite(QualityFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(QualityFactor), QualityFactor, "QualityFactor must be a positive finite number.");
        }

        if (Layers is not null)
        {
            if (Layers.Count == 0)
            {
                throw new ArgumentException("Layers must name at least one layer, or be null for every Dense and Conv2d layer.", nameof(Layers));
            }

            if (Layers.Any(string.IsNullOrEmpty))
            {
                throw new ArgumentException("Layers holds a null or empty layer name.", nameof(Layers));
            }
        }
    }
}
