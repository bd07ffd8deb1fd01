using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Prunes as much as the budget allows at each step: the rate grows after an accepted step and shrinks after a rejected one, optionally retraining an auxiliary layer at the end (the adaptive schedule of the seed papers).</summary>
public sealed class AdaptiveRateScheduler : SchedulerEstimator
{
    internal AdaptiveRateScheduler(PruningEstimator stage, AdaptiveRateSchedulerOptions options, IHostEnvironment? environment)
        : base(stage, options, null, environment)
    {
    }
}
