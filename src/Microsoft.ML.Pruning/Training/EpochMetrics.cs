namespace Microsoft.ML.Pruning.Training;

/// <summary>What one training epoch achieved.</summary>
/// <param name="Epoch">The zero-based epoch.</param>
/// <param name="LearningRate">The learning rate used.</param>
/// <param name="TrainingLoss">The mean loss over the epoch's training batches.</param>
/// <param name="TrainingAccuracy">The accuracy on the training batches (running, or measured when asked).</param>
/// <param name="ValidationLoss">The loss on the validation data, or NaN without it.</param>
/// <param name="ValidationAccuracy">The accuracy on the validation data, or NaN without it.</param>
/// <param name="Seconds">The epoch's training time, evaluation excluded.</param>
/// <param name="SamplesPerSecond">Training throughput.</param>
public sealed record EpochMetrics(
    int Epoch, float LearningRate, float TrainingLoss, float TrainingAccuracy,
    float ValidationLoss, float ValidationAccuracy, double Seconds, double SamplesPerSecond)
{
    /// <summary>Gets the accuracy that the trainer monitors: validation accuracy when there is validation data, else training accuracy.</summary>
    public float MonitoredAccuracy => float.IsNaN(ValidationAccuracy) ? TrainingAccuracy : ValidationAccuracy;
}
