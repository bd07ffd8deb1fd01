using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Pruning;

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
        var tuned = NetworkSerializer.Clone(network);
        var report = TrainingStep.Run(tuned, training, validation, Options.CreateTrainerOptions(Context.Seed), Options.MeasureLatency,
            PruningPhase.FineTuning, "fine-tuning", $"{Options.FineTuningEpochs} epochs", context);
        return (tuned, report, report.Cancelled);
    }
}
