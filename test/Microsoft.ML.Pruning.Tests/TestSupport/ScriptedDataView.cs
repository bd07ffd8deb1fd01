using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.Pruning.Tests;

/// <summary>
/// An <see cref="IDataView"/> over rows in memory (a known-size <c>Features</c> vector and a <c>Label</c> key), read in
/// order only (it cannot shuffle, as a text file or an image folder cannot), whose passes can be scripted to go wrong:
/// a pass that has fewer rows, a cursor that throws at a row, a feature vector of another size. It counts the cursors
/// it opened and those still open.
/// </summary>
internal sealed class ScriptedDataView : IDataView
{
    private readonly float[][] _features;
    private readonly uint[] _labels;
    private int _passes;
    private int _open;

    /// <summary>Creates the view.</summary>
    /// <param name="features">The rows' features, each of the same length.</param>
    /// <param name="labels">The rows' class indices; -1 for a missing label.</param>
    /// <param name="classes">The number of classes.</param>
    public ScriptedDataView(float[][] features, int[] labels, int classes)
    {
        _features = features;
        _labels = labels.Select(l => (uint)(l + 1)).ToArray();
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, features[0].Length));
        builder.AddColumn("Label", new KeyDataViewType(typeof(uint), classes));
        Schema = builder.ToSchema();
    }

    /// <summary>Gets or sets the rows a pass has, given the pass's number (0 for the first cursor opened); all of them by default.</summary>
    public Func<int, int>? RowsOfPass { get; set; }

    /// <summary>Gets or sets the (pass, row) at which the cursor throws an <see cref="IOException"/>, or <see langword="null"/>.</summary>
    public (int Pass, int Row)? ThrowAt { get; set; }

    /// <summary>Gets the cursors opened so far.</summary>
    public int Passes => _passes;

    /// <summary>Gets the cursors not yet disposed.</summary>
    public int OpenCursors => Volatile.Read(ref _open);

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public long? GetRowCount() => null;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        int pass = Interlocked.Increment(ref _passes) - 1;
        Interlocked.Increment(ref _open);
        int rows = RowsOfPass?.Invoke(pass) ?? _features.Length;
        return new Cursor(this, pass, rows, columnsNeeded.Select(c => c.Index).ToHashSet());
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(ScriptedDataView view, int pass, int rows, HashSet<int> active) : DataViewRowCursor
    {
        private long _position = -1;
        private bool _disposed;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index == 0)
            {
                ValueGetter<VBuffer<float>> features = (ref VBuffer<float> value) =>
                {
                    var row = view._features[_position];
                    var editor = VBufferEditor.Create(ref value, row.Length);
                    row.CopyTo(editor.Values);
                    value = editor.Commit();
                };
                return (ValueGetter<TValue>)(Delegate)features;
            }

            ValueGetter<uint> label = (ref uint value) => value = view._labels[_position];
            return (ValueGetter<TValue>)(Delegate)label;
        }

        public override bool MoveNext()
        {
            if (view.ThrowAt is { } at && at.Pass == pass && at.Row == _position + 1)
            {
                throw new IOException($"The disk went away at row {at.Row}.");
            }

            return ++_position < rows;
        }

        protected override void Dispose(bool disposing)
        {
            if (!_disposed)
            {
                _disposed = true;
                Interlocked.Decrement(ref view._open);
            }

            base.Dispose(disposing);
        }
    }
}
