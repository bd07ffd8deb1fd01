using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Training;

/// <summary>
/// An engine that runs the batches of a <see cref="Trainer"/>: the managed engine by default, or TorchSharp (CPU or
/// CUDA) from the Microsoft.ML.Pruning.TorchSharp assembly. Set <see cref="TrainerOptions.Backend"/> to use one; every
/// place the library trains (the trainer stage, fine-tuning inside pruning loops and schedulers, auxiliary-layer
/// retraining) goes through it.
/// </summary>
/// <remarks>
/// The seam is narrow on purpose, as in ML.NET's <c>TorchSharpBaseTrainer</c>: the trainer owns the epoch loop (the
/// seeded batches, the learning-rate schedule, evaluation, the best epoch, patience, cancellation, progress and the
/// divergence checks), and a backend only binds a network and runs single batches, so that the two engines cannot
/// train differently.
/// </remarks>
public interface ITrainingBackend
{
    /// <summary>Gets a short name for reports and logs, such as "managed" or "TorchSharp (cuda:0)".</summary>
    string Name { get; }

    /// <summary>Prepares a network for one fit: copies its weights to the engine's device, builds the optimizer and masks.</summary>
    /// <param name="network">The network to train; the session writes its weights back on <see cref="ITrainingSession.CopyToNetwork"/>.</param>
    /// <param name="setup">What the trainer has resolved from its options: loss, optimizer, seed, batch size, frozen layers.</param>
    /// <returns>The session, which owns the engine's state until it is disposed.</returns>
    /// <exception cref="NotSupportedException">The engine cannot run a layer, the loss or the optimizer; the message names it.</exception>
    ITrainingSession Bind(Network network, TrainingSetup setup);
}
