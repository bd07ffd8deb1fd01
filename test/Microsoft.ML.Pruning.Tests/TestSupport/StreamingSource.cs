using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Tests;

/// <summary>
/// A batch source that behaves as a streaming one would: its row count is unknown, and its readers copy one row at a
/// time straight into the caller's batch tensor. Its rows and shuffled orders are those of a data set, so that a fit
/// on it can be compared with a fit on the data set.
/// </summary>
internal sealed class StreamingSource(Dataset data) : IBatchSource
{
    public IReadOnlyList<int> SampleShape => data.SampleShape;

    public int ClassCount => data.ClassCount;

    public long? RowCount => null;

    public IBatchReader OpenReader(BatchOrder order) =>
        new RowReader(data, order.IsShuffled ? data.ShuffledOrder(order.Seed, order.Epoch) : Enumerable.Range(0, data.Count).ToArray());

    public IBatchSource Where(Func<long, bool> rowFilter) => new StreamingSource((Dataset)((IBatchSource)data).Where(rowFilter));

    private sealed class RowReader(Dataset data, int[] order) : IBatchReader
    {
        private int _next;

        public int Read(FloatTensor features, Span<int> labels, CancellationToken cancellationToken = default)
        {
            int count = Math.Min(labels.Length, order.Length - _next);
            if (count == 0)
            {
                return 0;
            }

            features.Resize([count, .. data.SampleShape]);
            for (int i = 0; i < count; i++, _next++)
            {
                data.GetSample(order[_next]).CopyTo(features.Span.Slice(i * data.FeatureCount, data.FeatureCount));
                labels[i] = data.Labels[order[_next]];
            }

            return count;
        }

        public void Dispose()
        {
        }
    }
}
