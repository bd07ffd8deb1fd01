using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Data;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// Reads the label and feature columns of one cursor's rows into the engine's formats, checked: a label within the
/// model's classes, a feature vector of the model's size with only finite values. Errors name the column and the row
/// of the data as the user gave it (<see cref="DataRowException"/>).
/// </summary>
internal sealed class DataViewRowGetters
{
    private readonly ValueGetter<VBuffer<float>>? _features;
    private readonly Func<long, long> _label;
    private readonly ValueGetter<DataViewRowId>? _id;
    private readonly StageColumns _columns;
    private VBuffer<float> _row;

    /// <summary>Binds the getters of a cursor.</summary>
    /// <param name="cursor">The cursor; it must have the label column active, and the feature column when <paramref name="readFeatures"/> is set.</param>
    /// <param name="columns">The checked columns.</param>
    /// <param name="readFeatures">Whether to bind the feature getter (<see cref="Features"/>); an index pass reads only labels.</param>
    /// <param name="readIds">Whether to bind the row id getter too (<see cref="Id"/>).</param>
    public DataViewRowGetters(DataViewRowCursor cursor, StageColumns columns, bool readFeatures, bool readIds)
    {
        _columns = columns;
        _features = readFeatures ? cursor.GetGetter<VBuffer<float>>(cursor.Schema[columns.Features]) : null;
        _label = LabelGetter(cursor, cursor.Schema[columns.Label!], columns.ClassCount);
        _id = readIds ? cursor.GetIdGetter() : null;
    }

    /// <summary>Returns the current row's class index, or -1 when its key label is missing.</summary>
    /// <param name="row">The row's number in the data, for errors.</param>
    /// <returns>The class index in [0, classes), or -1.</returns>
    /// <exception cref="DataRowException">The label is outside the model's classes, or a negative integer.</exception>
    public long Label(long row) => _label(row);

    /// <summary>Copies the current row's features into <paramref name="destination"/>, checking their count and that each is finite.</summary>
    /// <param name="destination">The row's place in a batch: exactly the model's input size.</param>
    /// <param name="row">The row's number in the data, for errors.</param>
    /// <exception cref="DataRowException">The vector has the wrong size or a NaN or infinite value.</exception>
    public void Features(Span<float> destination, long row)
    {
        _features!(ref _row);
        if (_row.Length != destination.Length)
        {
            throw new DataRowException(_columns.Features, row, string.Create(CultureInfo.InvariantCulture,
                $"the feature vector has {_row.Length} values but the model takes {destination.Length}."));
        }

        _row.CopyTo(destination);
        int bad = FiniteValues.IndexOfNonFinite(destination);
        if (bad >= 0)
        {
            throw new DataRowException(_columns.Features, row, string.Create(CultureInfo.InvariantCulture,
                $"feature {bad} (of {destination.Length}) is {FiniteValues.Describe(destination[bad])}. Remove or impute such rows before training, evaluating or pruning."));
        }
    }

    /// <summary>Returns the current row's id as a row number (its low word), or -1 when the id is not a plain row number.</summary>
    /// <returns>The row number the id stands for, or -1.</returns>
    public long Id()
    {
        DataViewRowId id = default;
        _id!(ref id);
        return id.High == 0 && id.Low <= long.MaxValue ? (long)id.Low : -1;
    }

    /// <summary>Returns a getter of 0-based class indices (-1 for a missing key) given the row's number.</summary>
    private static Func<long, long> LabelGetter(DataViewRowCursor cursor, DataViewSchema.Column label, int classes)
    {
        bool key = label.Type is KeyDataViewType;
        long offset = key ? -1 : 0;
        Func<long, long> read = label.Type.RawType switch
        {
            var t when t == typeof(uint) => Get<uint>(cursor, label, (v, _) => v + offset),
            var t when t == typeof(byte) => Get<byte>(cursor, label, (v, _) => v + offset),
            var t when t == typeof(ushort) => Get<ushort>(cursor, label, (v, _) => v + offset),
            var t when t == typeof(ulong) => Get<ulong>(cursor, label, (v, _) => (long)v + offset),
            var t when t == typeof(sbyte) => Get<sbyte>(cursor, label, (v, row) => NonNegative(v, label, row)),
            var t when t == typeof(short) => Get<short>(cursor, label, (v, row) => NonNegative(v, label, row)),
            var t when t == typeof(int) => Get<int>(cursor, label, (v, row) => NonNegative(v, label, row)),
            var t when t == typeof(long) => Get<long>(cursor, label, (v, row) => NonNegative(v, label, row)),
            _ => throw new ArgumentException($"Column '{label.Name}' has type {label.Type}; the label must be a key or an integer.", "input"),
        };
        return row =>
        {
            long value = read(row);
            return value < classes ? value : throw new DataRowException(label.Name, row, string.Create(CultureInfo.InvariantCulture,
                $"holds class {value}, but the model scores {classes} classes (0 to {classes - 1})."));
        };
    }

    private static long NonNegative(long value, DataViewSchema.Column label, long row) =>
        value >= 0 ? value : throw new DataRowException(label.Name, row, string.Create(CultureInfo.InvariantCulture,
            $"holds class {value}; an integer label is a class index from 0."));

    private static Func<long, long> Get<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, long, long> convert)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return row =>
        {
            getter(ref value);
            return convert(value, row);
        };
    }
}
