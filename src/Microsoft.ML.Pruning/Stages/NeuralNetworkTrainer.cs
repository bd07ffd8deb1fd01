using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// Trains a neural network (an architecture given as a <see cref="Networks.Network"/>) as a multiclass classifier: a
/// model stage, created by <c>mlContext.MulticlassClassification.Trainers.NeuralNetwork</c>. Adam, seeded mini-batches,
/// the best epoch on the held-out rows kept; the architecture object itself is never changed.
/// </summary>
public sealed class NeuralNetworkTrainer : NetworkStageEstimator
{
    private readonly Network _architecture;

    internal NeuralNetworkTrainer(Network architecture, NeuralNetworkTrainerOptions options, int contextSeed)
        : base(options, contextSeed)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        _architecture = NetworkSerializer.Clone(architecture);
    }

    private protected override bool StartsModel => true;

    private protected override Network StartingNetwork() => _architecture;

    private protected override (Network Network, PruningReport Report, bool Cancelled) Run(Network network, Dataset training, Dataset validation)
    {
        var report = StageTraining.Run(network, training, validation, Settings.CreateTrainerOptions(Seed), Settings, PruningPhase.Training, "training", $"{Settings.Epochs} epochs");
        return (network, report, report.Cancelled);
    }
}
