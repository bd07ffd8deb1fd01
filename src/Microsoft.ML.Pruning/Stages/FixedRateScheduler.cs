namespace Microsoft.ML.Pruning.Stages;

/// <summary>Removes the same fraction of the remaining units at every step until the budget stops it.</summary>
public sealed class FixedRateScheduler : SchedulerEstimator
{
    internal FixedRateScheduler(PruningEstimator stage, FixedRateSchedulerOptions options)
        : base(stage, options)
    {
    }

    private FixedRateSchedulerOptions Options => (FixedRateSchedulerOptions)SchedulerSettings;

    internal override IPruningSchedule CreateSchedule() => Options.CreateSchedule();
}
