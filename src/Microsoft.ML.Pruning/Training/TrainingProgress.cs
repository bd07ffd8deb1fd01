namespace Microsoft.ML.Pruning.Training;

/// <summary>A progress report of a <see cref="Trainer"/>, sent after each batch and each epoch.</summary>
/// <param name="Epoch">The zero-based epoch.</param>
/// <param name="TotalEpochs">The planned number of epochs.</param>
/// <param name="Batch">The number of batches done in this epoch.</param>
/// <param name="BatchesPerEpoch">The number of batches in an epoch.</param>
/// <param name="RunningLoss">The mean training loss so far in this epoch.</param>
/// <param name="CompletedEpoch">The metrics of the epoch just completed, on the report that ends an epoch; otherwise <see langword="null"/>.</param>
public sealed record TrainingProgress(int Epoch, int TotalEpochs, int Batch, int BatchesPerEpoch, float RunningLoss, EpochMetrics? CompletedEpoch);
