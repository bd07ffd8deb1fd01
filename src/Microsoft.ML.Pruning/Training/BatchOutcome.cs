namespace Microsoft.ML.Pruning.Training;

/// <summary>What one batch gave (<see cref="ITrainingSession.TrainBatch"/>, <see cref="ITrainingSession.EvaluateBatch"/>).</summary>
/// <param name="Loss">The mean loss over the batch.</param>
/// <param name="Correct">The number of samples whose highest output is their label.</param>
public readonly record struct BatchOutcome(float Loss, int Correct);
