namespace Microsoft.ML.Pruning;

/// <summary>Which layers structural pruning may touch and how a rate becomes a set of units to remove.</summary>
public sealed class StructuredPruningOptions
{
    /// <summary>Gets or sets the names of the producer layers (Dense or Conv2d) to prune.</summary>
    /// <value>The default is <see langword="null"/>: every hidden Dense and Conv2d layer; the output layer is never pruned.</value>
    public IReadOnlyList<string>? Layers { get; set; }

    /// <summary>Gets or sets whether the first prunable layer may be pruned (001 leaves it alone in some runs).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool IncludeFirstLayer { get; set; } = true;

    /// <summary>Gets or sets whether units are ranked within each layer or across all layers.</summary>
    /// <value>The default is <see cref="RankingScope.PerLayer"/>.</value>
    public RankingScope Ranking { get; set; } = RankingScope.PerLayer;

    /// <summary>Gets or sets the fewest units any group keeps.</summary>
    /// <value>The default is 1; it must be at least 1.</value>
    public int MinimumUnits { get; set; } = 1;

    /// <summary>Gets or sets a multiple that the number of units kept per group is rounded to (up, so fewer are removed), as 003 keeps multiples of 4.</summary>
    /// <value>The default is 1 (no rounding); it must be at least 1.</value>
    public int RoundTo { get; set; } = 1;

    /// <summary>
    /// Gets or sets a score under which units are removed regardless of the rate (for example 15 degrees for
    /// distinctiveness); the rate then only caps how many go.
    /// </summary>
    /// <value>The default is <see langword="null"/>: units are chosen by rate alone.</value>
    public double? ScoreThreshold { get; set; }

    /// <summary>Checks every option and throws for the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        if (MinimumUnits < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumUnits), MinimumUnits, "MinimumUnits must be at least 1.");
        }

        if (RoundTo < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RoundTo), RoundTo, "RoundTo must be at least 1.");
        }

        if (ScoreThreshold is { } threshold && !double.IsFinite(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(ScoreThreshold), threshold, "ScoreThreshold must be a finite number.");
        }
    }
}
