namespace Microsoft.ML.Pruning.Stages;

/// <summary>Options of <see cref="ScheduledPruningEstimator"/>: the step limit; the schedule itself decides the rates and when to stop.</summary>
public sealed class CustomScheduleOptions : SchedulerOptions
{
}
