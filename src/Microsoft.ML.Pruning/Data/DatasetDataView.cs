using Microsoft.ML.Data;

namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// A data set as an ML.NET <see cref="IDataView"/>: <c>Features</c> (a float vector of the sample's length; the image
/// shape, such as 1x28x28, is the model's) and <c>Label</c> (a key over the classes, with the class names as key values
/// when the data set has them, else the class indices as text).
/// </summary>
internal sealed class DatasetDataView : IDataView
{
    private readonly Dataset _data;

    public DatasetDataView(Dataset data, string featureColumnName, string labelColumnName)
    {
        _data = data;
        var names = (data.ClassNames ?? Enumerable.Range(0, data.ClassCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray())
            .Select(n => n.AsMemory()).ToArray();
        var keyValues = new DataViewSchema.Annotations.Builder();
        keyValues.Add("KeyValues", new VectorDataViewType(TextDataViewType.Instance, names.Length),
            (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(names.Length, (ReadOnlyMemory<char>[])names.Clone()));
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(featureColumnName, new VectorDataViewType(NumberDataViewType.Single, data.FeatureCount));
        builder.AddColumn(labelColumnName, new KeyDataViewType(typeof(uint), data.ClassCount), keyValues.ToAnnotations());
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _data.Count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(DatasetDataView view, HashSet<int> active) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override bool MoveNext() => ++_position < view._data.Count;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Index == 0
                ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                {
                    var sample = view._data.GetSample((int)_position);
                    var editor = VBufferEditor.Create(ref value, sample.Length);
                    sample.CopyTo(editor.Values);
                    value = editor.Commit();
                })
                : (ValueGetter<uint>)((ref uint value) => value = (uint)view._data.Labels[(int)_position] + 1);
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}, not {typeof(TValue).Name}.");
        }
    }
}
