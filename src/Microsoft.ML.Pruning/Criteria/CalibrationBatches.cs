using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Criteria;

/// <summary>
/// Walks calibration data in order, in batches copied into one reused feature tensor and one reused label buffer,
/// checking for cancellation before each batch and counting the rows. The batch is lowered, when needed, so that its
/// activations fit in memory.
/// </summary>
internal sealed class CalibrationBatches : IDisposable
{
    private readonly IBatchReader _reader;

    /// <summary>Prepares the walk.</summary>
    /// <param name="data">The data.</param>
    /// <param name="network">The network the batches feed, whose activations bound the batch size.</param>
    /// <param name="batchSize">The largest batch; the last batch may be smaller.</param>
    /// <param name="training">Whether the batches run training passes (a backward pass follows each).</param>
    public CalibrationBatches(IBatchSource data, Network network, int batchSize, bool training = false)
    {
        int size = BatchMemory.Choose(network, batchSize, data.RowCount, training).BatchSize;
        Labels = new int[size];
        Features = new FloatTensor([size, .. data.SampleShape]);
        _reader = data.OpenReader(BatchOrder.Sequential);
    }

    /// <summary>Gets the current batch's features, [<see cref="Count"/>, ...sample shape].</summary>
    public FloatTensor Features { get; }

    /// <summary>Gets the label buffer; its first <see cref="Count"/> entries are the current batch's labels.</summary>
    public int[] Labels { get; }

    /// <summary>Gets the number of samples in the current batch.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the number of samples read so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Loads the next batch.</summary>
    /// <param name="cancellationToken">Checked before the batch is copied.</param>
    /// <returns><see langword="false"/> when the data are exhausted.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public bool MoveNext(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Count = _reader.Read(Features, Labels, cancellationToken);
        Rows += Count;
        return Count > 0;
    }

    /// <inheritdoc/>
    public void Dispose() => _reader.Dispose();
}
