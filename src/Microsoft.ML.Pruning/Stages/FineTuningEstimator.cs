using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Trains the model the stage before it produced for more epochs (Adam, best epoch kept on the held-out rows).</summary>
public sealed class FineTuningEstimator : NetworkStageEstimator
{
    internal FineTuningEstimator(FineTuningOptions options, int contextSeed)
        : base(options, contextSeed)
    {
    }

    private protected override bool StartsModel => false;

    private protected override (Network Network, PruningReport Report, bool Cancelled) Run(Network network, Dataset training, Dataset validation)
    {
        var report = StageTraining.Run(network, training, validation, Settings.CreateTrainerOptions(Seed), Settings, PruningPhase.FineTuning, "fine-tuning", $"{Settings.Epochs} epochs");
        return (network, report, report.Cancelled);
    }
}
