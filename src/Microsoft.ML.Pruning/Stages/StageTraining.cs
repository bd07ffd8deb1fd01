using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Training as a stage (a model's first training, or a fine-tuning stage): measured before and after, reported as one step.</summary>
internal static class StageTraining
{
    /// <summary>Trains <paramref name="network"/> in place and reports it.</summary>
    public static PruningReport Run(Network network, Dataset training, Dataset validation, TrainerOptions options, StageOptions settings,
        PruningPhase phase, string method, string schedule)
    {
        var started = DateTime.UtcNow;
        string verb = phase == PruningPhase.Training ? "training" : "fine-tuning";
        var before = ModelMeasurement.Measure(network, validation, settings.MeasureLatency, CancellationToken.None);
        var sink = settings.Progress;
        var progress = sink is null ? null : new ProgressRelay<TrainingProgress>(p =>
        {
            if (p.CompletedEpoch is { } e)
            {
                sink.Report(new PruningProgress(e.Epoch, phase, null, e.ValidationAccuracy, $"{verb} epoch {e.Epoch + 1}/{options.Epochs}: validation accuracy {e.ValidationAccuracy:P2}"));
            }
        });
        var result = new Trainer(options).Fit(network, training, validation, progress, settings.CancellationToken);
        var after = ModelMeasurement.Measure(network, validation, settings.MeasureLatency, CancellationToken.None);
        return new PruningReport
        {
            Method = method,
            Schedule = schedule,
            Baseline = before,
            Final = after,
            Steps = [new PruningStepReport { Step = 0, Phase = phase == PruningPhase.Training ? "train" : "fine-tune", Accepted = true, Model = after }],
            ElapsedSeconds = (DateTime.UtcNow - started).TotalSeconds,
            Cancelled = result.Cancelled,
        };
    }
}
