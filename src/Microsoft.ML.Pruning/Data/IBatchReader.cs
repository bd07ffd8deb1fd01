using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Data;

/// <summary>One pass over an <see cref="IBatchSource"/>, batch after batch. Dispose it to release what the pass holds (cursors, files, prefetched batches).</summary>
public interface IBatchReader : IDisposable
{
    /// <summary>Copies the next rows of the pass into a batch.</summary>
    /// <param name="features">
    /// The batch tensor, owned by the caller; it is resized (<see cref="FloatTensor.Resize"/>) to [n, ...sample shape],
    /// which reuses its backing array when that is large enough, so a tensor allocated once for the largest batch
    /// serves the whole pass without allocating.
    /// </param>
    /// <param name="labels">Receives the labels of the rows; its length is the largest number of rows to read.</param>
    /// <param name="cancellationToken">Stops a read that waits for its source.</param>
    /// <returns>
    /// The number of rows read, n: as many as <paramref name="labels"/> holds while the pass has that many left (so that
    /// the batches of a pass do not depend on how the source is read), fewer only for the last batch, 0 when the pass is over.
    /// </returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    int Read(FloatTensor features, Span<int> labels, CancellationToken cancellationToken = default);
}
