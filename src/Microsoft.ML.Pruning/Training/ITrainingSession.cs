using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Training;

/// <summary>
/// One fit of one network on a <see cref="ITrainingBackend"/>: runs training and evaluation batches, keeps one
/// checkpoint of the weights, and writes the weights back. Disposing it releases the engine's state (device tensors,
/// optimizer state) and leaves the network's layers as they were before <see cref="ITrainingBackend.Bind"/>, apart from
/// the weights that <see cref="CopyToNetwork"/> wrote.
/// </summary>
public interface ITrainingSession : IDisposable
{
    /// <summary>Sets the learning rate of the batches that follow.</summary>
    /// <param name="learningRate">The rate, positive and finite.</param>
    void SetLearningRate(float learningRate);

    /// <summary>
    /// Trains on one batch: a training forward pass (batch statistics, dropout; frozen layers as at inference), the loss,
    /// the backward pass, one optimizer step on the layers that are not frozen, and the masks re-applied.
    /// </summary>
    /// <param name="features">The batch, [n, ...sample shape].</param>
    /// <param name="labels">The n labels.</param>
    /// <returns>The batch's mean loss before the step and the number of its samples predicted correctly.</returns>
    BatchOutcome TrainBatch(FloatTensor features, ReadOnlySpan<int> labels);

    /// <summary>Evaluates one batch in inference mode, changing nothing.</summary>
    /// <param name="features">The batch, [n, ...sample shape].</param>
    /// <param name="labels">The n labels.</param>
    /// <returns>The batch's mean loss and the number of its samples predicted correctly.</returns>
    BatchOutcome EvaluateBatch(FloatTensor features, ReadOnlySpan<int> labels);

    /// <summary>Saves the current weights and statistics as the checkpoint, replacing the one saved before, when every value is finite.</summary>
    /// <returns><see langword="false"/>, saving nothing, when a weight or statistic is NaN or infinite (training has diverged).</returns>
    bool TrySaveCheckpoint();

    /// <summary>Makes the weights and statistics those of the last checkpoint saved.</summary>
    /// <exception cref="InvalidOperationException">No checkpoint was saved.</exception>
    void RestoreCheckpoint();

    /// <summary>Writes the current weights and statistics into the bound network (nothing to do for an engine that trains it in place).</summary>
    void CopyToNetwork();
}
