using Microsoft.ML.Pruning.Pruning;

namespace Microsoft.ML.Pruning;

/// <summary>
/// Prunes step by step with the adaptive rate of seeds/002 (Algorithm 1): at each step the rate rises by a step while a
/// trial prune stays within the accuracy budget, falls back one step once it does not, prunes at that rate and retrains;
/// it stops when a step breaks the budget (that step is rolled back). Optionally inserts an auxiliary dense layer once
/// pruning converges and goes on pruning. The criterion, budget and fine-tuning come from the wrapped stage.
/// </summary>
public sealed class AdaptiveRateScheduler : PruningEstimator
{
    private readonly PruningEstimator _inner;

    internal AdaptiveRateScheduler(PruningContext context, PruningEstimator inner, AdaptiveRateSchedulerOptions options)
        : base(context, inner.Options)
    {
        _inner = inner;
        SchedulerOptions = options;
    }

    /// <summary>Gets the scheduler's options.</summary>
    public AdaptiveRateSchedulerOptions SchedulerOptions { get; }

    internal override int? AuxiliaryLayerUnits => SchedulerOptions.AuxiliaryLayerUnits;

    internal override int MaximumSteps => SchedulerOptions.MaximumSteps;

    internal override PruningMethod CreateMethod() => _inner.CreateMethod();

    internal override IPruningSchedule CreateSchedule() => new AdaptiveRateSchedule(SchedulerOptions.InitialRate, SchedulerOptions.Step, SchedulerOptions.MaximumRate, SchedulerOptions.RestartEachStep);
}
