using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>A scheduler around a pruning stage that follows a schedule of your own (<see cref="IPruningSchedule"/>).</summary>
public sealed class ScheduledPruningEstimator : SchedulerEstimator
{
    internal ScheduledPruningEstimator(PruningEstimator stage, IPruningSchedule schedule, CustomScheduleOptions options, IHostEnvironment? environment)
        : base(stage, options, schedule ?? throw new ArgumentNullException(nameof(schedule)), environment)
    {
    }
}
