namespace Microsoft.ML.Pruning;

/// <summary>Options of <see cref="FixedRateScheduler"/>.</summary>
public sealed class FixedRateSchedulerOptions
{
    /// <summary>Gets or sets the fraction of the remaining units (or weights) removed at each step.</summary>
    /// <value>The default is 0.2, as seeds/002 Table I; it must be in (0, 1).</value>
    public double Rate { get; set; } = 0.2;

    /// <summary>Gets or sets the most steps.</summary>
    /// <value>The default is 100; it must be at least 1.</value>
    public int MaximumSteps { get; set; } = 100;

    internal void Validate()
    {
        OptionChecks.Require(Rate is > 0 and < 1, nameof(Rate), Rate, "must be in (0, 1)");
        OptionChecks.Require(MaximumSteps >= 1, nameof(MaximumSteps), MaximumSteps, "must be at least 1");
    }
}
