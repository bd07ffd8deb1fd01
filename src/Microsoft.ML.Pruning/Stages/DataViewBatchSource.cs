using Microsoft.ML.Pruning.Data;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// The labelled rows of an <see cref="IDataView"/> as an <see cref="IBatchSource"/> that never holds them all: each
/// pass reads them through a cursor, on a thread of its own that keeps at most <see cref="PrefetchBatches"/> batches
/// ahead of training (image decoding and any other lazy transform run there), and converts each row straight into the
/// batch tensor.
/// </summary>
/// <remarks>
/// <para>
/// Shuffled passes: a view that can be read in a seeded random order whose row ids are the rows' numbers (ML.NET's cache,
/// <c>AppendCacheCheckpoint</c>, or a view over memory) gives a full permutation of the rows, drawn by ML.NET from a
/// seed made of the pass's seed and epoch. Any other view (a text file, images decoded as they are read) is read in
/// its order through a <see cref="ShuffleBuffer"/> of <see cref="ShuffleRows"/> rows.
/// </para>
/// <para>
/// Rows are numbered by their place among the source's rows in the view's order; <see cref="Where"/> selects by that
/// number without reading the data (a bit a row). The row count is known from a first pass over the labels, and each
/// later pass checks that the view still has the same rows (<see cref="DataRowException"/> otherwise).
/// </para>
/// </remarks>
internal sealed class DataViewBatchSource : IBatchSource
{
    /// <summary>The batches a pass reads ahead of the one being trained on, at most.</summary>
    public const int PrefetchBatches = 2;

    /// <summary>
    /// The most bytes of rows a pass holds in its chunks (read ahead, or being copied out): a pass reads ahead in chunks
    /// of a batch, or smaller ones when <see cref="PrefetchBatches"/> + 1 batches would exceed this (a 1,024-row
    /// evaluation batch of 3x224x224 images is 600 MiB).
    /// </summary>
    public const long ChunkBytes = 128L << 20;

    private readonly int[] _sampleShape;

    /// <summary>Creates the source over the rows of <paramref name="index"/> that have a label.</summary>
    /// <param name="data">The data.</param>
    /// <param name="columns">The checked columns.</param>
    /// <param name="sampleShape">The model's input shape.</param>
    /// <param name="index">The first pass's index of the data.</param>
    /// <param name="shuffleRows">The rows of the shuffle buffer, for views without random access; at least 1.</param>
    public DataViewBatchSource(IDataView data, StageColumns columns, int[] sampleShape, DataViewRowIndex index, int shuffleRows)
        : this(data, columns, sampleShape, index, index.Labelled, shuffleRows, new RowsHeld())
    {
    }

    private DataViewBatchSource(IDataView data, StageColumns columns, int[] sampleShape, DataViewRowIndex index, RowSet rows, int shuffleRows, RowsHeld held)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shuffleRows, 1);
        Data = data;
        Columns = columns;
        _sampleShape = sampleShape;
        Index = index;
        Rows = rows;
        ShuffleRows = shuffleRows;
        Held = held;
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> SampleShape => _sampleShape;

    /// <inheritdoc/>
    public int ClassCount => Columns.ClassCount;

    /// <inheritdoc/>
    public long? RowCount => Rows.Count;

    /// <summary>Gets the data.</summary>
    internal IDataView Data { get; }

    /// <summary>Gets the checked columns.</summary>
    internal StageColumns Columns { get; }

    /// <summary>Gets the first pass's index of the data.</summary>
    internal DataViewRowIndex Index { get; }

    /// <summary>Gets the rows of the data this source gives (by their number in the data).</summary>
    internal RowSet Rows { get; }

    /// <summary>Gets the rows of the shuffle buffer, for views without random access.</summary>
    internal int ShuffleRows { get; }

    /// <summary>Gets the count of rows that the readers of this source (and of the sources <see cref="Where"/> made from it) hold in memory.</summary>
    internal RowsHeld Held { get; }

    /// <summary>Returns the shuffle buffer's rows for a memory limit: half the limit, at least one row.</summary>
    /// <param name="memoryLimit">The memory limit of the data, in bytes.</param>
    /// <param name="rowBytes">The bytes of one row's features.</param>
    /// <returns>The rows.</returns>
    public static int ShuffleRowsFor(long memoryLimit, long rowBytes) =>
        (int)Math.Clamp(memoryLimit / 2 / rowBytes, 1, Math.Min(1 << 24, Array.MaxLength / (rowBytes / sizeof(float))));

    /// <inheritdoc/>
    public IBatchReader OpenReader(BatchOrder order) => new DataViewBatchReader(this, order);

    /// <inheritdoc/>
    public IBatchSource Where(Func<long, bool> rowFilter)
    {
        ArgumentNullException.ThrowIfNull(rowFilter);
        return new DataViewBatchSource(Data, Columns, _sampleShape, Index, Rows.Where(rowFilter), ShuffleRows, Held);
    }

    /// <summary>Counts the rows held in memory by the readers, and the most ever held at once.</summary>
    internal sealed class RowsHeld
    {
        private long _current;
        private long _peak;

        /// <summary>Gets the rows held now.</summary>
        public long Current => Interlocked.Read(ref _current);

        /// <summary>Gets the most rows held at once so far.</summary>
        public long Peak => Interlocked.Read(ref _peak);

        /// <summary>Records rows taken into memory (a pool or a batch read ahead).</summary>
        /// <param name="rows">The rows.</param>
        public void Add(int rows)
        {
            long now = Interlocked.Add(ref _current, rows);
            long peak;
            while (now > (peak = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
            {
            }
        }

        /// <summary>Records rows handed over to the caller or dropped.</summary>
        /// <param name="rows">The rows.</param>
        public void Remove(int rows) => Interlocked.Add(ref _current, -rows);
    }
}
