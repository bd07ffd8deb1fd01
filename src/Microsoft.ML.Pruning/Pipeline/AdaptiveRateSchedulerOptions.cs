namespace Microsoft.ML.Pruning;

/// <summary>Options of <see cref="AdaptiveRateScheduler"/> (seeds/002, Algorithm 1).</summary>
public sealed class AdaptiveRateSchedulerOptions
{
    /// <summary>Gets or sets the rate the search starts from at the first step.</summary>
    /// <value>The default is 0.1, as in the paper; it must be in (0, 1).</value>
    public double InitialRate { get; set; } = 0.1;

    /// <summary>Gets or sets how much the rate rises while the accuracy drop stays within budget, and falls back once it does not.</summary>
    /// <value>The default is 0.05, as in the paper; it must be in (0, 0.5].</value>
    public double Step { get; set; } = 0.05;

    /// <summary>Gets or sets the highest rate the search tries.</summary>
    /// <value>The default is 0.95; it must be in (0, 1).</value>
    public double MaximumRate { get; set; } = 0.95;

    /// <summary>Gets or sets whether every step's search starts from <see cref="InitialRate"/> (as the paper's Table II implies) or from the previous step's rate.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool RestartEachStep { get; set; } = true;

    /// <summary>Gets or sets the most prune-and-retrain steps.</summary>
    /// <value>The default is 100; it must be at least 1.</value>
    public int MaximumSteps { get; set; } = 100;

    /// <summary>Gets or sets the width of the auxiliary dense layer inserted once pruning converges, after which pruning goes on (seeds/002 uses 20, 40 and 60).</summary>
    /// <value>The default is <see langword="null"/>: no auxiliary layer.</value>
    public int? AuxiliaryLayerUnits { get; set; }

    internal void Validate()
    {
        OptionChecks.Require(InitialRate is > 0 and < 1, nameof(InitialRate), InitialRate, "must be in (0, 1)");
        OptionChecks.Require(Step is > 0 and <= 0.5, nameof(Step), Step, "must be in (0, 0.5]");
        OptionChecks.Require(MaximumRate is > 0 and < 1 && MaximumRate >= InitialRate, nameof(MaximumRate), MaximumRate, "must be in [InitialRate, 1)");
        OptionChecks.Require(MaximumSteps >= 1, nameof(MaximumSteps), MaximumSteps, "must be at least 1");
        OptionChecks.Require(AuxiliaryLayerUnits is null or >= 1, nameof(AuxiliaryLayerUnits), AuxiliaryLayerUnits, "must be at least 1 when set");
    }
}
