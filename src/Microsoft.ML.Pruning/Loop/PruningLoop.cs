using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Loop;

/// <summary>
/// One pruning run: baseline, then plan, prune, fine-tune, evaluate and keep or roll back, step after step, with at
/// most one auxiliary-layer insertion. Validated inputs only; <see cref="Pruner.Run"/> checks them.
/// </summary>
internal sealed class PruningLoop
{
    private readonly PrunerOptions _options;
    private readonly PruningMethod _method;
    private readonly IPruningSchedule _schedule;
    private readonly PruningHooks _hooks;
    private readonly IBatchSource? _calibration;
    private readonly IBatchSource? _latencySamples;
    private readonly IProgress<PruningProgress>? _progress;
    private readonly List<PruningStepReport> _steps = [];
    private Network _current = null!;
    private ModelSnapshot? _currentSnapshot;
    private ModelSnapshot? _baseline;
    private (Network Network, ModelSnapshot Snapshot)? _beforeAuxiliary;
    private double _baselineAccuracy;
    private double _allowedDrop;

    /// <summary>Prepares a run.</summary>
    /// <param name="options">The validated options.</param>
    /// <param name="hooks">How models are evaluated and fine-tuned.</param>
    /// <param name="calibration">The data given to the method.</param>
    /// <param name="latencySamples">Where latency batches come from.</param>
    /// <param name="progress">Receives progress reports.</param>
    public PruningLoop(PrunerOptions options, PruningHooks hooks, IBatchSource? calibration, IBatchSource? latencySamples, IProgress<PruningProgress>? progress)
    {
        _options = options;
        _method = options.Method!;
        _schedule = options.Schedule;
        _hooks = hooks;
        _calibration = calibration;
        _latencySamples = latencySamples;
        _progress = progress;
    }

    /// <summary>Runs the loop on a copy of <paramref name="network"/>.</summary>
    /// <param name="network">The network; it is not modified.</param>
    /// <param name="cancellationToken">Stops the run; the best accepted model so far is returned.</param>
    /// <returns>The pruned copy and the report.</returns>
    public PruningResult Run(Network network, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        _current = NetworkSerializer.Clone(network);
        bool cancelled = false;
        try
        {
            MeasureBaseline(cancellationToken);
            Loop(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }

        // Cancelled before the baseline was measured: describe the untouched copy without accuracy or latency.
        _currentSnapshot ??= ModelMeasurement.Measure(_current, null, null, false, CancellationToken.None);
        if (_beforeAuxiliary is { } before && !(_currentSnapshot.NonzeroParameters < before.Snapshot.NonzeroParameters))
        {
            // The auxiliary layer did not pay for itself: return the smaller model from before its insertion.
            (_current, _currentSnapshot) = before;
        }

        var report = new PruningReport
        {
            Method = _method.Name,
            Schedule = _schedule.Name,
            AllowedDrop = _allowedDrop,
            Baseline = _baseline ?? ModelMeasurement.Copy(_currentSnapshot),
            Final = ModelMeasurement.Copy(_currentSnapshot),
            Steps = _steps,
            SkippedGroups = _method is StructuredPruning ? PruningGroups.FindSkipped(_current) : [],
            ElapsedSeconds = watch.Elapsed.TotalSeconds,
            Cancelled = cancelled,
        };

        Report(_steps.Count, PruningPhase.Completed, null, _currentSnapshot.Accuracy,
            cancelled ? "cancelled; returning the best model accepted so far" : $"done after {_steps.Count} step(s)");
        return new PruningResult(_current, report);
    }

    private void MeasureBaseline(CancellationToken cancellationToken)
    {
        Report(0, PruningPhase.Baseline, null, null, "evaluating the unpruned model");
        var evaluation = _hooks.Evaluate(_current, cancellationToken);
        _baselineAccuracy = evaluation.Accuracy;
        _allowedDrop = AccuracyBudget.AllowedDrop(_options.MaximumAccuracyDrop, _options.BudgetKind, _baselineAccuracy);
        _currentSnapshot = Measure(_current, evaluation, cancellationToken);
        _baseline = ModelMeasurement.Copy(_currentSnapshot);
        Report(0, PruningPhase.Baseline, null, evaluation.Accuracy,
            Invariant($"baseline accuracy {evaluation.Accuracy:0.0000}, allowed drop {_allowedDrop:0.0000}, {_currentSnapshot.NonzeroParameters:N0} nonzero weights"));
    }

    private void Loop(CancellationToken cancellationToken)
    {
        var history = new List<PruningScheduleStep>();
        int pruneSteps = 0;
        bool auxiliaryInserted = false;
        long? startCount = _method.CountPrunable(_current);
        double? emptyRate = null;
        while (pruneSteps < _options.MaximumSteps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int step = _steps.Count;

            // One scoring of the current model per step, shared by the schedule's probes and the step itself.
            PruningPlan? plan = null;
            PruningPlan Plan() => plan ??= _method.Prepare(_current, _calibration, cancellationToken);
            var context = new PruningScheduleContext(_baselineAccuracy, _allowedDrop, history.ToArray(), rate => Probe(step, rate, Plan(), cancellationToken), RemainingFraction(startCount));
            double? planned = _schedule.NextRate(context);
            if (planned is not { } rate)
            {
                break;
            }

            if (!(rate is > 0 and < 1))
            {
                throw new InvalidOperationException($"Schedule '{_schedule.Name}' returned rate {rate.ToString(CultureInfo.InvariantCulture)} for step {step}; a rate must be greater than 0 and less than 1.");
            }

            if (emptyRate is { } empty && rate <= empty)
            {
                // The model is as it was when the larger rate removed nothing, so this one would remove nothing either.
                break;
            }

            pruneSteps++;
            var outcome = Prune(step, rate, Plan(), history, cancellationToken);
            emptyRate = outcome == StepOutcome.NothingRemoved ? rate : null;
            if (outcome == StepOutcome.NothingRemoved)
            {
                continue;
            }

            if (outcome == StepOutcome.Rejected)
            {
                if (_options.AuxiliaryLayerUnits is not { } units || auxiliaryInserted)
                {
                    break;
                }

                auxiliaryInserted = true;
                if (!InsertAuxiliaryLayer(units, cancellationToken))
                {
                    break;
                }

                // The schedule starts again on the new structure (seeds/002, Fig. 2: a second pruning process).
                history = [];
                startCount = _method.CountPrunable(_current);
            }
        }
    }

    /// <summary>
    /// Runs one step with the step's plan. A step that removes nothing changes nothing: it is recorded as kept (in the
    /// report and in the schedule's history) and the run goes on; the next step ends it unless it asks for a larger rate.
    /// </summary>
    private StepOutcome Prune(int step, double rate, PruningPlan plan, List<PruningScheduleStep> history, CancellationToken cancellationToken)
    {
        Report(step, PruningPhase.Pruning, rate, null, Invariant($"step {step}: pruning at rate {rate:0.####}"));
        foreach (string warning in plan.Warnings)
        {
            Report(step, PruningPhase.Pruning, rate, null, $"step {step}: warning: {warning}");
        }

        var warnings = plan.Warnings.Count > 0 ? plan.Warnings.ToArray() : null;
        var candidate = NetworkSerializer.Clone(_current);
        int removed = plan.Apply(candidate, rate, cancellationToken);
        if (removed <= 0)
        {
            _steps.Add(new PruningStepReport { Step = step, Rate = rate, Removed = 0, Accepted = true, Warnings = warnings, Model = ModelMeasurement.Copy(_currentSnapshot!) });
            history.Add(new PruningScheduleStep(history.Count, rate, _currentSnapshot!.Accuracy ?? double.NaN, true));
            Report(step, PruningPhase.Evaluating, rate, _currentSnapshot!.Accuracy, $"step {step}: nothing to remove at this rate; the model is unchanged");
            return StepOutcome.NothingRemoved;
        }

        FineTune(step, rate, candidate, cancellationToken);
        var (snapshot, accepted) = Judge(step, rate, candidate, cancellationToken);
        _steps.Add(new PruningStepReport { Step = step, Phase = "prune", Rate = rate, Removed = removed, Accepted = accepted, Warnings = warnings, Model = snapshot });
        history.Add(new PruningScheduleStep(history.Count, rate, snapshot.Accuracy ?? double.NaN, accepted));
        return accepted ? StepOutcome.Kept : StepOutcome.Rejected;
    }

    private double? RemainingFraction(long? startCount) =>
        startCount is > 0 && _method.CountPrunable(_current) is { } now ? Math.Clamp((double)now / startCount.Value, 0, 1) : null;

    private bool InsertAuxiliaryLayer(int units, CancellationToken cancellationToken)
    {
        int step = _steps.Count;
        Report(step, PruningPhase.AuxiliaryLayer, null, null, $"step {step}: inserting an auxiliary Dense layer of {units} units");
        var candidate = AuxiliaryLayer.Insert(_current, units, _options.Seed);
        var before = (_current, _currentSnapshot!);
        FineTune(step, null, candidate, cancellationToken);
        var (snapshot, accepted) = Judge(step, null, candidate, cancellationToken);
        _steps.Add(new PruningStepReport { Step = step, Phase = "auxiliary", Rate = 0, Removed = 0, Accepted = accepted, Model = snapshot });
        if (accepted)
        {
            _beforeAuxiliary = before;
        }

        return accepted;
    }

    /// <summary>Evaluates and measures a candidate, and makes it the current model when it is within the budget.</summary>
    private (ModelSnapshot Snapshot, bool Accepted) Judge(int step, double? rate, Network candidate, CancellationToken cancellationToken)
    {
        var evaluation = _hooks.Evaluate(candidate, cancellationToken);
        var snapshot = Measure(candidate, evaluation, cancellationToken);
        double drop = _baselineAccuracy - evaluation.Accuracy;
        bool accepted = AccuracyBudget.IsWithin(drop, _allowedDrop);
        if (accepted)
        {
            _current = candidate;
            _currentSnapshot = snapshot;
        }

        Report(step, PruningPhase.Evaluating, rate, evaluation.Accuracy,
            Invariant($"step {step}: accuracy {evaluation.Accuracy:0.0000} (drop {drop:0.0000}, allowed {_allowedDrop:0.0000}), {snapshot.NonzeroParameters:N0} nonzero weights, {(accepted ? "kept" : "rolled back")}"));
        return (snapshot, accepted);
    }

    private double Probe(int step, double rate, PruningPlan plan, CancellationToken cancellationToken)
    {
        if (!(rate is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"Schedule '{_schedule.Name}' probed rate {rate.ToString(CultureInfo.InvariantCulture)}; a rate must be greater than 0 and less than 1.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var copy = NetworkSerializer.Clone(_current);
        plan.Apply(copy, rate, cancellationToken);
        var evaluation = _hooks.Evaluate(copy, cancellationToken);
        Report(step, PruningPhase.Probing, rate, evaluation.Accuracy, Invariant($"step {step}: probe at rate {rate:0.####} gives accuracy {evaluation.Accuracy:0.0000} before fine-tuning"));
        return _baselineAccuracy - evaluation.Accuracy;
    }

    private void FineTune(int step, double? rate, Network candidate, CancellationToken cancellationToken)
    {
        if (_hooks.FineTune is null)
        {
            return;
        }

        Report(step, PruningPhase.FineTuning, rate, null, $"step {step}: fine-tuning");
        var relay = _progress is null ? null : new ProgressRelay<TrainingProgress>(p =>
        {
            if (p.CompletedEpoch is { } epoch)
            {
                Report(step, PruningPhase.FineTuning, rate, float.IsNaN(epoch.ValidationAccuracy) ? null : epoch.ValidationAccuracy,
                    Invariant($"step {step}: fine-tuning epoch {epoch.Epoch + 1}/{p.TotalEpochs}, loss {epoch.TrainingLoss:0.0000}"));
            }
        });

        _hooks.FineTune(candidate, relay, cancellationToken);
    }

    private ModelSnapshot Measure(Network network, EvaluationResult evaluation, CancellationToken cancellationToken) =>
        ModelMeasurement.Measure(network, evaluation, _latencySamples, _options.MeasureLatency, cancellationToken);

    private void Report(int step, PruningPhase phase, double? rate, double? accuracy, string message) =>
        _progress?.Report(new PruningProgress(step, phase, rate, accuracy, message));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private enum StepOutcome
    {
        Kept,
        Rejected,
        NothingRemoved,
    }
}
