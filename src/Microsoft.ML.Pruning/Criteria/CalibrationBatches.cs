using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Criteria;

/// <summary>
/// Walks a data set in order, in batches copied into one reused feature tensor and one reused label buffer, checking
/// for cancellation before each batch.
/// </summary>
internal sealed class CalibrationBatches
{
    private readonly Dataset _data;
    private readonly int _batchSize;
    private readonly int[] _indices;
    private int _start;

    /// <summary>Prepares the walk.</summary>
    /// <param name="data">The data set.</param>
    /// <param name="batchSize">The largest batch; the last batch may be smaller.</param>
    public CalibrationBatches(Dataset data, int batchSize)
    {
        _data = data;
        _batchSize = Math.Min(batchSize, data.Count);
        _indices = new int[_batchSize];
        Labels = new int[_batchSize];
        Features = new FloatTensor([_batchSize, .. data.SampleShape]);
    }

    /// <summary>Gets the current batch's features, [<see cref="Count"/>, ...sample shape].</summary>
    public FloatTensor Features { get; }

    /// <summary>Gets the label buffer; its first <see cref="Count"/> entries are the current batch's labels.</summary>
    public int[] Labels { get; }

    /// <summary>Gets the number of samples in the current batch.</summary>
    public int Count { get; private set; }

    /// <summary>Loads the next batch.</summary>
    /// <param name="cancellationToken">Checked before the batch is copied.</param>
    /// <returns><see langword="false"/> when the data set is exhausted.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public bool MoveNext(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_start >= _data.Count)
        {
            return false;
        }

        Count = Math.Min(_batchSize, _data.Count - _start);
        var indices = _indices.AsSpan(0, Count);
        for (int i = 0; i < Count; i++)
        {
            indices[i] = _start + i;
        }

        _data.CopyBatch(indices, Features, Labels);
        _start += Count;
        return true;
    }
}
