using System.Diagnostics;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Reports;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Workflow;

/// <summary>
/// Runs stages (<see cref="Stage"/>) on one data set, and owns what spans them, so that every caller (ML.NET's
/// estimators, the command-line tool, your code) gets the same rules:
/// <list type="bullet">
/// <item><description>The held-out rows: the model stage holds out a seeded share of the rows
/// (<see cref="ModelStage.ValidationFraction"/>, shuffled with its seed; for streamed data, whose rows are never all in
/// memory, the rows whose number falls in that share of a seeded hash), and every later stage holds out the same rows.
/// Reports, the accuracy budget and the decision to keep or roll back a step are measured on them, and on nothing else.</description></item>
/// <item><description>The selection rows: training that picks its best epoch (or stops early) picks it on a seeded tenth
/// of the stage's training rows, held out from its training; never on the held-out rows the reports are measured on.</description></item>
/// <item><description>Seeds: each stage's own (<see cref="Stage.Seed"/>); the same seeds, data and threads give the same models.</description></item>
/// <item><description>The budget: a pruning stage's <see cref="PruningStage.MaximumAccuracyDrop"/> is measured from the
/// run's baseline (the model as it entered the first stage after the model stage), so stages in a row share it.</description></item>
/// <item><description>The reports: one per stage, and a combined one whose baseline is the run's baseline.</description></item>
/// <item><description>Cancellation: a cancelled stage keeps the best model it found (a model stage cancelled during
/// training, the weights it started with); a stage cancelled before it began returns the model it was given. Either
/// way the result says <see cref="StageResult.Cancelled"/>.</description></item>
/// </list>
/// </summary>
public static class StageRunner
{
    /// <summary>Runs stages in order on <paramref name="data"/>: a model stage first, then the stages that work on its model.</summary>
    /// <param name="stages">The stages; the first is a <see cref="ModelStage"/>, the others are not.</param>
    /// <param name="data">The rows every stage learns from and holds its validation rows out of.</param>
    /// <param name="progress">Receives a report at each phase of each stage and after each epoch.</param>
    /// <param name="log">Receives what a user would otherwise not see: a rolled-back step, a stage that pruned nothing, a budget already spent.</param>
    /// <param name="cancellationToken">Stops the run; the best model so far is returned, marked cancelled.</param>
    /// <returns>The result after the last stage.</returns>
    /// <exception cref="ArgumentException">There is no stage, the stages are out of order, or the data do not fit the model.</exception>
    public static StageResult Run(IEnumerable<Stage> stages, IBatchSource data, IProgress<PruningProgress>? progress = null, IProgress<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stages);
        StageResult? result = null;
        foreach (var stage in stages)
        {
            result = Run(stage, result, data, progress, log, cancellationToken);
        }

        return result ?? throw new ArgumentException("A run needs at least one stage, a model stage first.", nameof(stages));
    }

    /// <summary>Runs one stage: a model stage starts a run; any other continues <paramref name="previous"/>.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="previous">The run so far, or <see langword="null"/> for a model stage.</param>
    /// <param name="data">The rows; the same rows for every stage of a run (the held-out rows are chosen by index).</param>
    /// <param name="progress">Receives a report at each phase and after each epoch.</param>
    /// <param name="log">Receives what a user would otherwise not see (see <see cref="Run(IEnumerable{Stage}, IBatchSource, IProgress{PruningProgress}?, IProgress{string}?, CancellationToken)"/>).</param>
    /// <param name="cancellationToken">Stops the stage; the best model so far is returned, marked cancelled.</param>
    /// <returns>The run after this stage.</returns>
    /// <exception cref="ArgumentException">
    /// A model stage was given a previous result, another stage none; the data have fewer than two rows or do not fit
    /// the model; or a pruning option does not fit the network (the message names it).
    /// </exception>
    public static StageResult Run(Stage stage, StageResult? previous, IBatchSource data, IProgress<PruningProgress>? progress = null, IProgress<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(data);
        var model = stage as ModelStage;
        if (model is not null && previous is not null)
        {
            throw new ArgumentException($"A model stage ({stage.GetType().Name}) starts a run; it continues none: pass no previous result.", nameof(previous));
        }

        if (model is null && previous is null)
        {
            throw new ArgumentException($"A {stage.GetType().Name} works on a model: run a model stage (TrainingStage or PretrainedStage) first and pass its result.", nameof(previous));
        }

        if (previous is not null && cancellationToken.IsCancellationRequested)
        {
            return previous.AsCancelled();
        }

        var split = previous?.Split ?? new HeldOutSplit(model!.Seed, model.ValidationFraction);
        var (training, validation) = split.Apply(data);
        // The result's network is never changed afterwards: training works on a copy, and so does the pruning loop.
        var start = previous?.Network ?? model!.Start;
        double? allowedDrop = previous?.AllowedDrop;
        Network network;
        PruningReport report;
        switch (stage)
        {
            case TrainingStage trainer:
                network = NetworkSerializer.Clone(start);
                report = Train(network, training, validation, trainer, trainer.Training, PruningPhase.Training, progress, cancellationToken);
                break;
            case FineTuningStage fineTuning:
                network = NetworkSerializer.Clone(start);
                report = Train(network, training, validation, fineTuning, fineTuning.Training, PruningPhase.FineTuning, progress, cancellationToken);
                break;
            case PruningStage pruning:
                (network, report, allowedDrop) = Prune(start, training, validation, pruning, previous!, progress, log, cancellationToken);
                break;
            case PretrainedStage pretrained:
                network = NetworkSerializer.Clone(start);
                var measured = Measure(network, validation, pretrained.MeasureLatency);
                report = new PruningReport { Method = stage.ReportMethod, Schedule = stage.ReportSchedule, Baseline = measured, Final = ModelMeasurement.Copy(measured) };
                break;
            default:
                throw new ArgumentException($"{stage.GetType().Name} is not a stage the runner knows.", nameof(stage));
        }

        IReadOnlyList<PruningReport> reports = previous is null ? [report] : [.. previous.StageReports, report];
        return new StageResult(network, reports, report.Cancelled || (previous?.Cancelled ?? false), split, allowedDrop);
    }

    /// <summary>Trains in place, measured before and after on the held-out rows, reported as one step.</summary>
    private static PruningReport Train(Network network, IBatchSource training, IBatchSource validation, Stage stage, StageTraining settings, PruningPhase phase,
        IProgress<PruningProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        string verb = phase == PruningPhase.Training ? "training" : "fine-tuning";
        var before = Measure(network, validation, stage.MeasureLatency);
        var options = settings.CreateTrainerOptions(stage.Seed);
        // The best epoch is picked on selection rows held out of the training rows, never on the rows the report and the budget use.
        var (fit, selection) = Pruner.SelectionSplit(training, options, stage.Seed);
        var relay = progress is null ? null : new ProgressRelay<TrainingProgress>(p =>
        {
            if (p.CompletedEpoch is { } e)
            {
                string accuracy = selection is null ? $"training accuracy {e.TrainingAccuracy:P2}" : $"accuracy on the selection rows {e.ValidationAccuracy:P2}";
                progress.Report(new PruningProgress(e.Epoch, phase, null, e.MonitoredAccuracy, $"{verb} epoch {e.Epoch + 1}/{p.TotalEpochs}: {accuracy}"));
            }
        });
        var result = new Trainer(options).Fit(network, fit, selection, relay, cancellationToken);
        var after = Measure(network, validation, stage.MeasureLatency);
        return new PruningReport
        {
            Method = stage.ReportMethod,
            Schedule = stage.ReportSchedule,
            Baseline = before,
            Final = after,
            Steps = [new PruningStepReport { Step = 0, Phase = phase == PruningPhase.Training ? "train" : "fine-tune", Accepted = true, Model = ModelMeasurement.Copy(after) }],
            ElapsedSeconds = watch.Elapsed.TotalSeconds,
            Cancelled = result.Cancelled,
        };
    }

    /// <summary>Prunes a copy under the run's budget; returns the pruned network, the stage's report and the run's allowed drop.</summary>
    private static (Network Network, PruningReport Report, double AllowedDrop) Prune(Network network, IBatchSource training, IBatchSource validation, PruningStage stage,
        StageResult previous, IProgress<PruningProgress>? progress, IProgress<string>? log, CancellationToken cancellationToken)
    {
        var budget = RunBudget.For(stage, previous);
        if (budget.Spent is { } spent)
        {
            log?.Report(spent);
        }

        var options = new PrunerOptions
        {
            Method = stage.Method,
            Schedule = stage.Schedule,
            MaximumAccuracyDrop = budget.StageDrop,
            BudgetKind = budget.StageKind,
            FineTuning = stage.FineTuning?.CreateTrainerOptions(stage.Seed),
            CalibrationSamples = stage.CalibrationSamples,
            MaximumSteps = stage.MaximumSteps,
            AuxiliaryLayerUnits = stage.AuxiliaryLayerUnits,
            MeasureLatency = stage.MeasureLatency,
            Seed = stage.Seed,
        };
        var result = Pruner.Run(network, training, validation, options, progress, cancellationToken);
        foreach (string note in ReportNotes.Of(result.Report))
        {
            log?.Report($"{stage.ReportMethod}: {note}");
        }

        return (result.Network, result.Report, budget.RunAllowedDrop ?? result.Report.AllowedDrop ?? 0);
    }

    private static ModelSnapshot Measure(Network network, IBatchSource validation, bool measureLatency) =>
        ModelMeasurement.Measure(network, validation, measureLatency, CancellationToken.None);
}
