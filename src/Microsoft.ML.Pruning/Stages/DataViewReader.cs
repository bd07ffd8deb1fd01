using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Data;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Reads an <see cref="IDataView"/>'s feature and label columns into the engine's batch format.</summary>
internal static class DataViewReader
{
    /// <summary>Reads every row with a label into a data set of the model's sample shape.</summary>
    /// <param name="data">The data.</param>
    /// <param name="columns">The checked columns.</param>
    /// <param name="sampleShape">The model's input shape (the feature vector is read in this shape).</param>
    /// <returns>The data set; rows whose key label is missing (0) are skipped.</returns>
    /// <exception cref="ArgumentException">The data has no rows, or a label is outside the model's classes.</exception>
    public static Dataset Read(IDataView data, StageColumns columns, int[] sampleShape)
    {
        var features = data.Schema[columns.Features];
        var label = data.Schema[columns.Label!];
        int width = columns.FeatureCount, classes = columns.ClassCount;
        var values = new List<float>(width * 1024);
        var labels = new List<int>(1024);
        using (var cursor = data.GetRowCursor([features, label]))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(features);
            var getLabel = LabelGetter(cursor, label);
            VBuffer<float> row = default;
            var dense = new float[width];
            while (cursor.MoveNext())
            {
                long value = getLabel();
                if (value < 0)
                {
                    continue;
                }

                if (value >= classes)
                {
                    throw new ArgumentException($"Column '{columns.Label}' holds class {value} at row {cursor.Position}, but the model scores {classes} classes (0 to {classes - 1}).", "input");
                }

                getFeatures(ref row);
                row.CopyTo(dense);
                values.AddRange(dense);
                labels.Add((int)value);
            }
        }

        if (labels.Count == 0)
        {
            throw NoRows(columns.Label!);
        }

        return Dataset.FromArray([.. values], sampleShape, [.. labels], classes, columns.ClassValues?.Names);
    }

    /// <summary>Throws the "no rows" error of <see cref="Read"/> when the data have no rows at all.</summary>
    /// <param name="data">The data.</param>
    /// <exception cref="ArgumentException">The data have no rows.</exception>
    public static void EnsureRows(IDataView data)
    {
        long? count = data.GetRowCount();
        if (count is null)
        {
            using var cursor = data.GetRowCursor([]);
            count = cursor.MoveNext() ? 1 : 0;
        }

        if (count == 0)
        {
            throw new ArgumentException("The data are empty (no rows): a stage needs at least 2 labelled rows to fit. Check the file or the filter that feeds the pipeline.", "input");
        }
    }

    /// <summary>Returns a getter of 0-based class indices (-1 for a missing key).</summary>
    private static Func<long> LabelGetter(DataViewRowCursor cursor, DataViewSchema.Column label)
    {
        bool key = label.Type is KeyDataViewType;
        long offset = key ? -1 : 0;
        return label.Type.RawType switch
        {
            var t when t == typeof(uint) => Get<uint>(cursor, label, v => v + offset),
            var t when t == typeof(byte) => Get<byte>(cursor, label, v => v + offset),
            var t when t == typeof(ushort) => Get<ushort>(cursor, label, v => v + offset),
            var t when t == typeof(ulong) => Get<ulong>(cursor, label, v => (long)v + offset),
            var t when t == typeof(sbyte) => Get<sbyte>(cursor, label, v => NonNegative(v, label, cursor)),
            var t when t == typeof(short) => Get<short>(cursor, label, v => NonNegative(v, label, cursor)),
            var t when t == typeof(int) => Get<int>(cursor, label, v => NonNegative(v, label, cursor)),
            var t when t == typeof(long) => Get<long>(cursor, label, v => NonNegative(v, label, cursor)),
            _ => throw new ArgumentException($"Column '{label.Name}' has type {label.Type}; the label must be a key or an integer.", "input"),
        };
    }

    private static ArgumentException NoRows(string label) =>
        new($"The data has no rows with a '{label}' value (every label is missing): a stage needs at least 2 labelled rows to fit.", "input");

    private static long NonNegative(long value, DataViewSchema.Column label, DataViewRowCursor cursor) =>
        value >= 0 ? value : throw new ArgumentException($"Column '{label.Name}' holds class {value} at row {cursor.Position}; an integer label is a class index from 0.", "input");

    private static Func<long> Get<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, long> convert)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return convert(value);
        };
    }
}
