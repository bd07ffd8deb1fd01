using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Removes the same fraction of the remaining units at every step until the budget stops it.</summary>
public sealed class FixedRateScheduler : SchedulerEstimator
{
    internal FixedRateScheduler(PruningEstimator stage, FixedRateSchedulerOptions options, IHostEnvironment? environment)
        : base(stage, options, null, environment)
    {
    }
}
