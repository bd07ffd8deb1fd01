using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.ExceptionServices;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// One pass over a <see cref="DataViewBatchSource"/>: a thread of its own reads the cursor (decoding whatever the view
/// computes lazily) into chunks of rows, at most <see cref="DataViewBatchSource.PrefetchBatches"/> chunks ahead of the
/// caller, who copies them into its batch tensor. The order of the rows depends only on the source and the
/// <see cref="BatchOrder"/>, never on timing.
/// </summary>
internal sealed class DataViewBatchReader : IBatchReader
{
    private readonly DataViewBatchSource _source;
    private readonly BatchOrder _order;
    private readonly int _width;
    private readonly CancellationTokenSource _stop = new();
    private readonly BlockingCollection<RowChunk> _ready = [];
    private BlockingCollection<RowChunk>? _free;
    private Thread? _producer;
    private RowChunk? _current;
    private int _offset;
    private bool _finished;
    private long _held;

    /// <summary>Starts a pass (the reading starts at the first <see cref="Read"/>, which sets the chunk size).</summary>
    /// <param name="source">The source.</param>
    /// <param name="order">The order of the pass.</param>
    public DataViewBatchReader(DataViewBatchSource source, BatchOrder order)
    {
        _source = source;
        _order = order;
        _width = source.Columns.FeatureCount;
    }

    /// <inheritdoc/>
    public int Read(FloatTensor features, Span<int> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        cancellationToken.ThrowIfCancellationRequested();
        if (labels.Length == 0 || _finished)
        {
            return 0;
        }

        Start(labels.Length);
        features.Resize([labels.Length, .. _source.SampleShape]);
        int count = 0;
        while (count < labels.Length)
        {
            if (_current is null || _offset == _current.Count)
            {
                ReleaseCurrent();
                if (!TakeNext(cancellationToken))
                {
                    break;
                }
            }

            int take = Math.Min(labels.Length - count, _current!.Count - _offset);
            _current.Features.AsSpan(_offset * _width, take * _width).CopyTo(features.Span.Slice(count * _width));
            _current.Labels.AsSpan(_offset, take).CopyTo(labels.Slice(count));
            _offset += take;
            count += take;
            Release(take);
        }

        if (count < labels.Length)
        {
            features.Resize([count, .. _source.SampleShape]);
        }

        return count;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop.Cancel();
        _producer?.Join();
        // Rows read ahead (or pooled) and never taken are no longer held.
        Release((int)Interlocked.Read(ref _held));
        _ready.Dispose();
        _free?.Dispose();
        _stop.Dispose();
    }

    private void Start(int chunkRows)
    {
        if (_producer is not null)
        {
            return;
        }

        const int Chunks = DataViewBatchSource.PrefetchBatches + 1;
        chunkRows = (int)Math.Clamp(DataViewBatchSource.ChunkBytes / Chunks / ((long)_width * sizeof(float)), 1, chunkRows);
        _free = [];
        for (int i = 0; i < Chunks; i++)
        {
            _free.Add(new RowChunk(chunkRows, _width));
        }

        _producer = new Thread(Produce) { IsBackground = true, Name = "Microsoft.ML.Pruning data reader" };
        _producer.Start();
    }

    private bool TakeNext(CancellationToken cancellationToken)
    {
        var next = _ready.Take(cancellationToken);
        if (next.Failure is { } failure)
        {
            _finished = true;
            ExceptionDispatchInfo.Throw(failure);
        }

        if (next.Count == 0)
        {
            _finished = true;
            return false;
        }

        _current = next;
        _offset = 0;
        return true;
    }

    private void ReleaseCurrent()
    {
        if (_current is not null)
        {
            _current.Count = 0;
            _free!.Add(_current);
            _current = null;
        }
    }

    /// <summary>The producer thread: reads the pass into chunks, then an empty chunk (the end) or a failure.</summary>
    private void Produce()
    {
        try
        {
            new RowPump(this).Run();
            _ready.Add(RowChunk.End);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _ready.Add(RowChunk.Failed(e));
        }
    }

    /// <summary>Records rows taken into memory by this pass.</summary>
    private void Hold(int rows)
    {
        Interlocked.Add(ref _held, rows);
        _source.Held.Add(rows);
    }

    /// <summary>Records rows this pass handed over or dropped.</summary>
    private void Release(int rows)
    {
        Interlocked.Add(ref _held, -rows);
        _source.Held.Remove(rows);
    }

    /// <summary>The seed of a shuffled pass: a fixed mix of the order's seed and epoch.</summary>
    private static int EpochSeed(BatchOrder order) => unchecked((int)RowHash.Mix((ulong)(uint)order.Seed, (ulong)order.Epoch));

    /// <summary>Rows read ahead, in the pass's order.</summary>
    private sealed class RowChunk(int rows, int width)
    {
        public static readonly RowChunk End = new(0, 0);

        public float[] Features { get; } = new float[(long)rows * width];

        public int[] Labels { get; } = new int[rows];

        public int Count { get; set; }

        public Exception? Failure { get; private init; }

        public static RowChunk Failed(Exception e) => new(0, 0) { Failure = e };
    }

    /// <summary>Moves the rows of one pass from the cursor, through the shuffle buffer when there is one, into chunks.</summary>
    private sealed class RowPump(DataViewBatchReader reader)
    {
        private readonly DataViewBatchSource _source = reader._source;
        private RowChunk? _filling;

        public void Run()
        {
            var source = _source;
            var order = reader._order;
            var stop = reader._stop.Token;
            var data = source.Data;
            bool permuted = order.IsShuffled && source.Index.RandomAccess;
            var pool = order.IsShuffled && !permuted ? new ShuffleBuffer((int)Math.Clamp(source.Rows.Count, 1, source.ShuffleRows), reader._width, EpochSeed(order)) : null;
            var labelled = source.Index.Labelled;
            long position = 0, row = 0;
            string? column = null;
            try
            {
                using var cursor = data.GetRowCursor([data.Schema[source.Columns.Features], data.Schema[source.Columns.Label!]], permuted ? new Random(EpochSeed(order)) : null);
                var getters = new DataViewRowGetters(cursor, source.Columns, readFeatures: true, readIds: permuted);
                while (true)
                {
                    stop.ThrowIfCancellationRequested();
                    column = null;
                    row = permuted ? -1 : position;
                    if (!cursor.MoveNext())
                    {
                        break;
                    }

                    row = permuted ? getters.Id() : position;
                    position++;
                    if (row < 0 || row >= labelled.Capacity)
                    {
                        throw DataViewReader.Changed(row, string.Create(CultureInfo.InvariantCulture, $"the data have more rows than the {labelled.Capacity} of the first pass."));
                    }

                    column = source.Columns.Label;
                    long label = getters.Label(row);
                    if ((label >= 0) != labelled.Contains(row))
                    {
                        throw DataViewReader.Changed(row, $"the row's label is {(label >= 0 ? "present" : "missing")} now and was {(label >= 0 ? "missing" : "present")} in the first pass.");
                    }

                    if (!source.Rows.Contains(row))
                    {
                        continue;
                    }

                    column = source.Columns.Features;
                    if (pool is null)
                    {
                        getters.Features(Next(stop), row);
                        Commit((int)label, stop);
                        reader.Hold(1);
                    }
                    else if (!pool.IsFull)
                    {
                        getters.Features(pool.Fill((int)label), row);
                        reader.Hold(1);
                    }
                    else
                    {
                        var slot = pool.Replace(Next(stop), (int)label, out int leaving);
                        getters.Features(slot, row);
                        Commit(leaving, stop);
                        reader.Hold(1);
                    }
                }
            }
            catch (Exception e) when (e is not (DataRowException or OperationCanceledException))
            {
                throw new DataRowException(column, row, $"reading the data failed: {e.Message}", e);
            }

            if (position != labelled.Capacity)
            {
                throw DataViewReader.Changed(position, string.Create(CultureInfo.InvariantCulture, $"the data end after {position} rows, but had {labelled.Capacity} in the first pass."));
            }

            while (pool is not null && pool.TryDrain(Next(stop), out int label))
            {
                Commit(label, stop);
            }

            if (_filling is { Count: > 0 })
            {
                reader._ready.Add(_filling, stop);
            }
        }

        /// <summary>Returns the place of the next row in the chunk being filled, taking a free chunk when needed.</summary>
        private Span<float> Next(CancellationToken stop)
        {
            _filling ??= reader._free!.Take(stop);
            return _filling.Features.AsSpan(_filling.Count * reader._width, reader._width);
        }

        private void Commit(int label, CancellationToken stop)
        {
            _filling!.Labels[_filling.Count++] = label;
            if (_filling.Count == _filling.Labels.Length)
            {
                reader._ready.Add(_filling, stop);
                _filling = null;
            }
        }
    }
}
