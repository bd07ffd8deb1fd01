using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Pruning;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning;

/// <summary>Trains the model further (Adam), keeping the best epoch on validation data; element-wise masks stay zero.</summary>
public sealed class FineTuningEstimator : StageEstimator
{
    internal FineTuningEstimator(PruningContext context, FineTuningOptions options)
        : base(context, options)
    {
        Options = options;
    }

    /// <summary>Gets the options the stage was built with.</summary>
    public FineTuningOptions Options { get; }

    private protected override (Network Network, PruningReport Report, bool Cancelled) Run(Network network, Dataset training, Dataset validation, FitContext context)
    {
        var started = DateTime.UtcNow;
        var tuned = NetworkSerializer.Clone(network);
        var before = ModelMeasurement.Measure(tuned, validation, Options.MeasureLatency, CancellationToken.None);
        var progress = context.Progress is null ? null : new ProgressRelay<TrainingProgress>(p =>
        {
            if (p.CompletedEpoch is { } e)
            {
                context.Progress.Report(new PruningProgress(e.Epoch, PruningPhase.FineTuning, null, e.ValidationAccuracy, $"fine-tuning epoch {e.Epoch + 1}/{Options.FineTuningEpochs}: validation accuracy {e.ValidationAccuracy:P2}"));
            }
        });
        var result = new Trainer(Options.CreateTrainerOptions(Context.Seed)).Fit(tuned, training, validation, progress, context.CancellationToken);
        var after = ModelMeasurement.Measure(tuned, validation, Options.MeasureLatency, CancellationToken.None);
        var report = new PruningReport
        {
            Method = "fine-tuning",
            Schedule = $"{Options.FineTuningEpochs} epochs",
            Baseline = before,
            Final = after,
            Steps = [new PruningStepReport { Step = 0, Phase = "fine-tune", Accepted = true, Model = after }],
            ElapsedSeconds = (DateTime.UtcNow - started).TotalSeconds,
            Cancelled = result.Cancelled,
        };
        return (tuned, report, result.Cancelled);
    }
}
