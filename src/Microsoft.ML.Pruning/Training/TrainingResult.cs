namespace Microsoft.ML.Pruning.Training;

/// <summary>The outcome of <see cref="Trainer.Fit"/>.</summary>
/// <param name="History">The metrics of each completed epoch.</param>
/// <param name="BestEpoch">The epoch with the best monitored accuracy, or -1 when no epoch completed.</param>
/// <param name="BestAccuracy">The best monitored accuracy, or NaN when no epoch completed.</param>
/// <param name="StoppedEarly">Whether the patience ran out.</param>
/// <param name="Cancelled">Whether the cancellation token stopped training; the network then holds the best weights so far.</param>
/// <param name="Elapsed">The wall-clock time of the whole run.</param>
public sealed record TrainingResult(
    IReadOnlyList<EpochMetrics> History, int BestEpoch, float BestAccuracy, bool StoppedEarly, bool Cancelled, TimeSpan Elapsed)
{
    /// <summary>
    /// Gets the batch size that training used: <see cref="TrainerOptions.BatchSize"/>, or less when the data have fewer
    /// rows or a batch of that size would not fit in memory (<see cref="TrainingProgress.Note"/> then says why).
    /// </summary>
    public int BatchSize { get; init; }
}
