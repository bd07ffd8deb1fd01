using Microsoft.ML.Pruning.Pruning;

namespace Microsoft.ML.Pruning;

/// <summary>
/// Prunes step by step at a fixed rate of what remains (seeds/002 Table I uses 0.2), fine-tuning after each step, until a
/// step breaks the accuracy budget (it is rolled back) or the step limit. The criterion comes from the wrapped stage.
/// </summary>
public sealed class FixedRateScheduler : PruningEstimator
{
    private readonly PruningEstimator _inner;
    private readonly double _rate;
    private readonly int _steps;

    internal FixedRateScheduler(PruningContext context, PruningEstimator inner, FixedRateSchedulerOptions options)
        : base(context, inner.Options)
    {
        _inner = inner;
        _rate = options.Rate;
        _steps = options.MaximumSteps;
    }

    internal override int MaximumSteps => _steps;

    internal override PruningMethod CreateMethod() => _inner.CreateMethod();

    internal override IPruningSchedule CreateSchedule() => new FixedRateSchedule(_rate, _steps);
}
