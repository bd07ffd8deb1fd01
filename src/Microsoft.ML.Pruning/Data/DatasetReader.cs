using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Data;

/// <summary>A pass over a <see cref="Dataset"/>: contiguous block copies in sequential order, row gathers in a shuffled one.</summary>
internal sealed class DatasetReader : IBatchReader
{
    private readonly Dataset _data;
    private readonly int[]? _order;
    private int _position;

    /// <summary>Starts a pass.</summary>
    /// <param name="data">The data set.</param>
    /// <param name="order">The row order, or <see langword="null"/> for the sequential order.</param>
    public DatasetReader(Dataset data, int[]? order)
    {
        _data = data;
        _order = order;
    }

    /// <inheritdoc/>
    public int Read(FloatTensor features, Span<int> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        cancellationToken.ThrowIfCancellationRequested();
        int count = Math.Min(labels.Length, _data.Count - _position);
        if (count <= 0)
        {
            return 0;
        }

        if (_order is not null)
        {
            _data.CopyBatch(_order.AsSpan(_position, count), features, labels);
        }
        else
        {
            int width = _data.FeatureCount;
            int[] shape = [count, .. _data.SampleShape];
            if (!features.HasShape(shape))
            {
                features.Resize(shape);
            }

            _data.Features.Span.Slice(_position * width, count * width).CopyTo(features.Span);
            _data.Labels.AsSpan(_position, count).CopyTo(labels);
        }

        _position += count;
        return count;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
