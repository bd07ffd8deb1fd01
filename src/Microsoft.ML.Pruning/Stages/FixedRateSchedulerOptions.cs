using Microsoft.ML.Pruning.Schedules;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Options of <see cref="FixedRateScheduler"/>.</summary>
public sealed class FixedRateSchedulerOptions : SchedulerOptions
{
    /// <summary>Gets or sets the fraction of the remaining units removed at every step.</summary>
    /// <value>The default is 0.2; it must be in (0, 1).</value>
    public double Rate { get; set; } = 0.2;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        OptionChecks.Require(Rate is > 0 and < 1, nameof(Rate), Rate, "must be in (0, 1)");
        _ = CreateSchedule();
    }

    internal override IPruningSchedule CreateSchedule() => new FixedRateSchedule(Rate, MaximumSteps);
}
