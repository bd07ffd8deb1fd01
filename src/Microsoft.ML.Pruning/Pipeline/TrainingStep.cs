using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Pruning;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning;

/// <summary>Training as a pipeline step (a model's first training, or a fine-tuning stage): measured before and after, reported as one step.</summary>
internal static class TrainingStep
{
    /// <summary>Trains <paramref name="network"/> in place and reports it.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="training">The training data.</param>
    /// <param name="validation">The validation data (best-epoch keeping and the measurements).</param>
    /// <param name="options">The trainer's options.</param>
    /// <param name="measureLatency">Whether the measurements include latency.</param>
    /// <param name="phase"><see cref="PruningPhase.Training"/> or <see cref="PruningPhase.FineTuning"/>.</param>
    /// <param name="method">The report's method name.</param>
    /// <param name="schedule">The report's schedule name.</param>
    /// <param name="context">The fit's progress sink and cancellation.</param>
    /// <returns>The report; it is marked cancelled when the fit was.</returns>
    public static PruningReport Run(Network network, Dataset training, Dataset validation, TrainerOptions options, bool measureLatency,
        PruningPhase phase, string method, string schedule, FitContext context)
    {
        var started = DateTime.UtcNow;
        string verb = phase == PruningPhase.Training ? "training" : "fine-tuning";
        var before = ModelMeasurement.Measure(network, validation, measureLatency, CancellationToken.None);
        var progress = context.Progress is null ? null : new ProgressRelay<TrainingProgress>(p =>
        {
            if (p.CompletedEpoch is { } e)
            {
                context.Progress.Report(new PruningProgress(e.Epoch, phase, null, e.ValidationAccuracy, $"{verb} epoch {e.Epoch + 1}/{options.Epochs}: validation accuracy {e.ValidationAccuracy:P2}"));
            }
        });
        var result = new Trainer(options).Fit(network, training, validation, progress, context.CancellationToken);
        var after = ModelMeasurement.Measure(network, validation, measureLatency, CancellationToken.None);
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
