using Microsoft.ML.Pruning.Pruning;

namespace Microsoft.ML.Pruning;

/// <summary>
/// Prunes towards a final sparsity in a fixed number of steps along a cubic (by default) curve, fast at first and slower
/// near the end: automated gradual pruning (Zhu and Gupta 2017; TF-MOT's PolynomialDecay). The criterion comes from the wrapped stage.
/// </summary>
public sealed class PolynomialScheduler : PruningEstimator
{
    private readonly PruningEstimator _inner;
    private readonly PolynomialSchedule _schedule;
    private readonly int _stepCount;

    internal PolynomialScheduler(PruningContext context, PruningEstimator inner, PolynomialSchedulerOptions options)
        : base(context, inner.Options)
    {
        _inner = inner;
        _schedule = new PolynomialSchedule(options.FinalSparsity, options.Steps, options.InitialSparsity, options.Power);
        _stepCount = options.Steps;
    }

    internal override int MaximumSteps => _stepCount;

    internal override PruningMethod CreateMethod() => _inner.CreateMethod();

    internal override IPruningSchedule CreateSchedule() => _schedule;
}
