namespace Microsoft.ML.Pruning.Stages;

/// <summary>A scheduler around a pruning stage that follows a schedule of your own (<see cref="IPruningSchedule"/>).</summary>
public sealed class ScheduledPruningEstimator : SchedulerEstimator
{
    private readonly IPruningSchedule _schedule;

    internal ScheduledPruningEstimator(PruningEstimator stage, IPruningSchedule schedule, CustomScheduleOptions options)
        : base(stage, options)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        _schedule = schedule;
    }

    internal override IPruningSchedule CreateSchedule() => _schedule;
}
