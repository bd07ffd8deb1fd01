namespace Microsoft.ML.Pruning.Training;

/// <summary>A progress report of a <see cref="Trainer"/>, sent after each batch and each epoch.</summary>
/// <param name="Epoch">The zero-based epoch.</param>
/// <param name="TotalEpochs">The planned number of epochs.</param>
/// <param name="Batch">The number of batches done in this epoch.</param>
/// <param name="BatchesPerEpoch">The number of batches in an epoch, or 0 while it is not known (a streaming source before its first pass).</param>
/// <param name="RunningLoss">The mean training loss so far in this epoch.</param>
/// <param name="CompletedEpoch">The metrics of the epoch just completed, on the report that ends an epoch; otherwise <see langword="null"/>.</param>
public sealed record TrainingProgress(int Epoch, int TotalEpochs, int Batch, int BatchesPerEpoch, float RunningLoss, EpochMetrics? CompletedEpoch)
{
    /// <summary>
    /// Gets a sentence about the run that is not a metric, or <see langword="null"/>. The trainer sends one report with
    /// a note and no batch (<see cref="Batch"/> 0, <see cref="RunningLoss"/> NaN) before training when it trains with a
    /// smaller batch than asked for because the asked one would not fit in memory; the note says why.
    /// </summary>
    public string? Note { get; init; }
}
