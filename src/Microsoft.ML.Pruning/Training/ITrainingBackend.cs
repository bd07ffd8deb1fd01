using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Training;

/// <summary>
/// Runs the training that a <see cref="Trainer"/> has been asked for on another engine (for example TorchSharp on a
/// GPU), with the same loss, optimizer, learning-rate schedule, batches and seed, and writes the trained weights and
/// statistics back into the network. Set <see cref="TrainerOptions.Backend"/> to use one; every place the library trains
/// (the trainer stage, fine-tuning inside pruning loops and schedulers, auxiliary-layer retraining) goes through it.
/// </summary>
public interface ITrainingBackend
{
    /// <summary>Gets a short name for reports and logs, such as "managed" or "TorchSharp (cuda:0)".</summary>
    string Name { get; }

    /// <summary>Trains <paramref name="network"/> in place as <see cref="Trainer.Fit"/> documents.</summary>
    /// <param name="network">The network to train; on return it holds the trained (or best) weights.</param>
    /// <param name="training">The training data.</param>
    /// <param name="validation">Data to evaluate after each epoch, or <see langword="null"/>.</param>
    /// <param name="options">The validated options; <see cref="TrainerOptions.Backend"/> is this backend.</param>
    /// <param name="progress">Receives a report after each batch and each epoch.</param>
    /// <param name="cancellationToken">Stops training between batches; the network then holds the best weights so far.</param>
    /// <returns>The history and outcome.</returns>
    TrainingResult Fit(Network network, Dataset training, Dataset? validation, TrainerOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken);
}
