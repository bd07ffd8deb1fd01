namespace Microsoft.ML.Pruning.Stages;

/// <summary>Prunes as much as the budget allows at each step: the rate grows after an accepted step and shrinks after a rejected one, optionally retraining an auxiliary layer at the end (the adaptive schedule of the seed papers).</summary>
public sealed class AdaptiveRateScheduler : SchedulerEstimator
{
    internal AdaptiveRateScheduler(PruningEstimator stage, AdaptiveRateSchedulerOptions options)
        : base(stage, options)
    {
    }

    private AdaptiveRateSchedulerOptions Options => (AdaptiveRateSchedulerOptions)SchedulerSettings;

    internal override int? AuxiliaryLayerUnits => Options.AuxiliaryLayerUnits;

    internal override IPruningSchedule CreateSchedule() => Options.CreateSchedule();
}
