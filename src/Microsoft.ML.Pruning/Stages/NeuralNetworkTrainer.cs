using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Workflow;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// Trains a neural network (an architecture given as a <see cref="Networks.Network"/>) as a multiclass classifier: a
/// model stage, created by <c>mlContext.MulticlassClassification.Trainers.NeuralNetwork</c>. Adam on seeded
/// mini-batches, the best epoch kept (picked on a seeded tenth of the training rows, never on the rows held out to
/// measure the model); the architecture object itself is never changed. A shell over <see cref="TrainingStage"/>.
/// </summary>
public sealed class NeuralNetworkTrainer : NetworkStageEstimator
{
    internal NeuralNetworkTrainer(Network architecture, NeuralNetworkTrainerOptions options, int contextSeed, IHostEnvironment? environment)
        : base(options, contextSeed, environment)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        Stage = new TrainingStage(architecture, Settings.Training(), Seed) { ValidationFraction = Settings.ValidationFraction, MeasureLatency = Settings.MeasureLatency };
    }

    internal override Stage Stage { get; }
}
