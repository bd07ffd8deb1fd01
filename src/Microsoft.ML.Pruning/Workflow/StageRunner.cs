using System.Diagnostics;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Reports;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tensors;
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
        var transfer = previous?.Transfer ?? TransferSetup.None;
        double? allowedDrop = previous?.AllowedDrop;
        Network network;
        PruningReport report;
        switch (stage)
        {
            case TrainingStage trainer:
                network = NetworkSerializer.Clone(start);
                transfer = new TransferSetup(null, [], CheckFrozen(network, trainer.Training.FrozenLayers));
                report = Train(network, training, validation, trainer, trainer.Training, transfer, PruningPhase.Training, progress, cancellationToken);
                break;
            case FineTuningStage fineTuning:
                network = transfer.ForTraining(start);
                report = Train(network, training, validation, fineTuning, fineTuning.Training, transfer, PruningPhase.FineTuning, progress, cancellationToken,
                    Reusable(previous!.StageReports[^1].Final, fineTuning));
                network = transfer.Folded(network);
                break;
            case PruningStage pruning:
                (network, report, allowedDrop) = Prune(transfer.ForTraining(start), training, validation, pruning, previous!, transfer, progress, log, cancellationToken);
                network = transfer.Folded(network);
                break;
            case PretrainedStage pretrained:
                (network, transfer) = Adapt(pretrained, data);
                report = pretrained.Training is { } settings
                    ? Train(network, training, validation, pretrained, settings, transfer, PruningPhase.Training, progress, cancellationToken)
                    : Measured(pretrained, Measure(network, validation, pretrained.MeasureLatency));
                network = transfer.Folded(network);
                break;
            default:
                throw new ArgumentException($"{stage.GetType().Name} is not a stage the runner knows.", nameof(stage));
        }

        IReadOnlyList<PruningReport> reports = previous is null ? [report] : [.. previous.StageReports, report];
        return new StageResult(network, reports, report.Cancelled || (previous?.Cancelled ?? false), split, allowedDrop) { Transfer = transfer };
    }

    /// <summary>
    /// Trains in place, measured before and after on the held-out rows: first <see cref="StageTrainingOptions.HeadOnlyEpochs"/>
    /// epochs of the new head alone (everything else frozen), then the remaining epochs of every layer that the stage and
    /// the run do not freeze; one report step per part. The one place that applies frozen layers and head-only epochs.
    /// The starting point is measured unless <paramref name="measured"/> (the stage before's measurement of the same
    /// network on the same held-out rows) stands for it.
    /// </summary>
    private static PruningReport Train(Network network, IBatchSource training, IBatchSource validation, Stage stage, StageTrainingOptions settings, TransferSetup transfer, PruningPhase phase,
        IProgress<PruningProgress>? progress, CancellationToken cancellationToken, ModelSnapshot? measured = null)
    {
        var watch = Stopwatch.StartNew();
        var frozen = transfer.FrozenLayers.Union(CheckFrozen(network, settings.FrozenLayers), StringComparer.Ordinal).ToArray();
        int headEpochs = settings.HeadOnlyEpochs;
        if (headEpochs > settings.Epochs)
        {
            throw new ArgumentOutOfRangeException(nameof(StageTrainingOptions.HeadOnlyEpochs), headEpochs, $"HeadOnlyEpochs ({headEpochs}) must not exceed Epochs ({settings.Epochs}).");
        }

        if (headEpochs > 0 && transfer.HeadLayers.Count == 0)
        {
            throw new ArgumentException($"HeadOnlyEpochs is {headEpochs}, but the run has no new classifier head to train alone: give its PretrainedStage a Head (PretrainedNetworkOptions.Head), or set HeadOnlyEpochs to 0.", nameof(StageTrainingOptions.HeadOnlyEpochs));
        }

        var before = measured is null ? Measure(network, validation, stage.MeasureLatency) : ModelMeasurement.Copy(measured);
        var parts = new List<(string Phase, TrainerOptions Options)>();
        if (headEpochs > 0)
        {
            parts.Add(("train head", settings.CreateTrainerOptions(stage.Seed, headEpochs, null, transfer.HeadLayers)));
        }

        if (settings.Epochs > headEpochs)
        {
            parts.Add((phase == PruningPhase.Training ? "train" : "fine-tune", settings.CreateTrainerOptions(stage.Seed, settings.Epochs - headEpochs, frozen, null)));
        }

        var steps = new List<PruningStepReport>();
        bool cancelled = false;
        int epochsBefore = 0;
        foreach (var (name, options) in parts)
        {
            var result = Fit(network, training, options, stage.Seed, phase, epochsBefore, settings.Epochs, name, progress, cancellationToken);
            epochsBefore += options.Epochs;
            var after = Measure(network, validation, stage.MeasureLatency && steps.Count == parts.Count - 1);
            steps.Add(new PruningStepReport { Step = steps.Count, Phase = name, Accepted = true, Model = after });
            if (cancelled = result.Cancelled)
            {
                break;
            }
        }

        return new PruningReport
        {
            Method = stage.ReportMethod,
            Schedule = stage.ReportSchedule,
            Baseline = before,
            Final = ModelMeasurement.Copy(steps[^1].Model),
            Steps = steps,
            ElapsedSeconds = watch.Elapsed.TotalSeconds,
            Cancelled = cancelled,
        };
    }

    /// <summary>Runs one part of a stage's training; the best epoch is picked on selection rows held out of the training rows, never on the rows the report and the budget use.</summary>
    private static TrainingResult Fit(Network network, IBatchSource training, TrainerOptions options, int seed, PruningPhase phase, int epochsBefore, int totalEpochs, string name,
        IProgress<PruningProgress>? progress, CancellationToken cancellationToken)
    {
        var (fit, selection) = Pruner.SelectionSplit(training, options, seed);
        var relay = progress is null ? null : new ProgressRelay<TrainingProgress>(p =>
        {
            if (p.CompletedEpoch is { } e)
            {
                string accuracy = selection is null ? $"training accuracy {e.TrainingAccuracy:P2}" : $"accuracy on the selection rows {e.ValidationAccuracy:P2}";
                progress.Report(new PruningProgress(epochsBefore + e.Epoch, phase, null, e.MonitoredAccuracy, $"{name} epoch {epochsBefore + e.Epoch + 1}/{totalEpochs}: {accuracy}"));
            }
        });
        return new Trainer(options).Fit(network, fit, selection, relay, cancellationToken);
    }

    /// <summary>Sets up a pretrained stage's network for the data: its input size, a new head for the data's classes, its normalisation in front.</summary>
    private static (Network Network, TransferSetup Transfer) Adapt(PretrainedStage stage, IBatchSource data)
    {
        if (!data.SampleShape.SequenceEqual(stage.RunInputShape) && FloatTensor.ComputeLength([.. data.SampleShape]) != FloatTensor.ComputeLength(stage.RunInputShape))
        {
            throw new ArgumentException($"The data's samples are {FloatTensor.FormatShape([.. data.SampleShape])} but the network takes {FloatTensor.FormatShape(stage.RunInputShape)}{(stage.InputShape is null ? "; set PretrainedStage.InputShape to the images' shape to adapt it" : string.Empty)}.", nameof(data));
        }

        if (stage.Head is null && stage.OutputWidth != data.ClassCount)
        {
            throw new ArgumentException($"The data have {data.ClassCount} classes but the network scores {stage.OutputWidth}: to train a new classifier for these classes, give the PretrainedStage a Head (new ClassifierHead()), which replaces the network's output with one sized to the classes.", nameof(data));
        }

        var (network, head) = stage.Adapt(data.ClassCount);
        var normalization = stage.InputNormalization?.Affine;
        if (normalization is not null && network.InputShape is [_, int height, int width])
        {
            normalization = normalization.ForImageSize(height, width);
            network = normalization.Prepend(network);
        }

        return (network, new TransferSetup(normalization, head, CheckFrozen(network, stage.Training?.FrozenLayers)));
    }

    /// <summary>Checks that every frozen layer is in the network, before anything trains.</summary>
    private static IReadOnlyList<string> CheckFrozen(Network network, IReadOnlyList<string>? frozen)
    {
        foreach (string name in frozen ?? [])
        {
            if (!network.Nodes.Any(n => n.Layer.Name == name))
            {
                throw new ArgumentException($"FrozenLayers names layer '{name}', which the network does not have. Its layers: {string.Join(", ", network.Nodes.Select(n => n.Layer.Name).Where(n => !n.StartsWith(ChannelAffine.LayerPrefix + "_", StringComparison.Ordinal)))}.", nameof(StageTrainingOptions.FrozenLayers));
            }
        }

        return frozen ?? [];
    }

    /// <summary>
    /// Returns the previous stage's final measurement when it measured what this stage would (the same network on the
    /// same held-out rows, with latency exactly when this stage asks for it), so that it is not measured again.
    /// </summary>
    private static ModelSnapshot? Reusable(ModelSnapshot previousFinal, Stage stage) =>
        (previousFinal.LatencyBatch1Milliseconds is not null) == stage.MeasureLatency ? previousFinal : null;

    private static PruningReport Measured(Stage stage, ModelSnapshot measured) =>
        new() { Method = stage.ReportMethod, Schedule = stage.ReportSchedule, Baseline = measured, Final = ModelMeasurement.Copy(measured) };

    /// <summary>Prunes a copy under the run's budget; returns the pruned network, the stage's report and the run's allowed drop.</summary>
    private static (Network Network, PruningReport Report, double AllowedDrop) Prune(Network network, IBatchSource training, IBatchSource validation, PruningStage stage,
        StageResult previous, TransferSetup transfer, IProgress<PruningProgress>? progress, IProgress<string>? log, CancellationToken cancellationToken)
    {
        var budget = RunBudget.For(stage, previous);
        if (budget.Spent is { } spent)
        {
            log?.Report(spent);
        }

        if (stage.FineTuning is { HeadOnlyEpochs: > 0 })
        {
            throw new ArgumentException("A pruning stage's fine-tuning trains every layer that is not frozen after each step; HeadOnlyEpochs applies to model and fine-tuning stages only.", nameof(StageTrainingOptions.HeadOnlyEpochs));
        }

        var frozen = transfer.FrozenLayers.Union(CheckFrozen(network, stage.FineTuning?.FrozenLayers), StringComparer.Ordinal).ToArray();
        var (method, skipped) = stage.PruneFrozenLayers ? (stage.Method, []) : FrozenLayerGroups.LeaveAlone(network, stage.Method, frozen);
        var options = new PrunerOptions
        {
            Method = method,
            Schedule = stage.Schedule,
            MaximumAccuracyDrop = budget.StageDrop,
            BudgetKind = budget.StageKind,
            FineTuning = stage.FineTuning?.CreateTrainerOptions(stage.Seed, stage.FineTuning.Epochs, frozen, null),
            CalibrationSamples = stage.CalibrationSamples,
            MaximumSteps = stage.MaximumSteps,
            AuxiliaryLayerUnits = stage.AuxiliaryLayerUnits,
            MeasureLatency = stage.MeasureLatency,
            Seed = stage.Seed,
        };
        var result = Pruner.Run(network, training, validation, options, progress, cancellationToken);
        if (skipped.Count > 0)
        {
            result.Report.SkippedGroups = [.. result.Report.SkippedGroups, .. skipped];
        }

        foreach (string note in ReportNotes.Of(result.Report))
        {
            log?.Report($"{stage.ReportMethod}: {note}");
        }

        return (result.Network, result.Report, budget.RunAllowedDrop ?? result.Report.AllowedDrop ?? 0);
    }

    private static ModelSnapshot Measure(Network network, IBatchSource validation, bool measureLatency) =>
        ModelMeasurement.Measure(network, validation, measureLatency, CancellationToken.None);
}
