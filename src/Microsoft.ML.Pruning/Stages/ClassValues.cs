using Microsoft.ML.Data;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// The values of a key label's classes (its <c>KeyValues</c> annotation, e.g. the strings <c>MapValueToKey</c> saw), kept
/// from fitting so that <c>Score</c>'s slot names and <c>PredictedLabel</c>'s key values are the label's.
/// </summary>
internal abstract class ClassValues
{
    /// <summary>Gets the values' item type.</summary>
    public abstract PrimitiveDataViewType ItemType { get; }

    /// <summary>Gets the number of classes.</summary>
    public abstract int Count { get; }

    /// <summary>Gets the values as text (slot names).</summary>
    public abstract IReadOnlyList<string> Names { get; }

    /// <summary>Reads a key column's values, or returns <see langword="null"/> when it has none.</summary>
    public static ClassValues? Of(DataViewSchema.Column column)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull("KeyValues");
        if (annotation is not { Type: VectorDataViewType { ItemType: PrimitiveDataViewType item } })
        {
            return null;
        }

        var type = typeof(ClassValues<>).MakeGenericType(item.RawType);
        return (ClassValues)Activator.CreateInstance(type, column.Annotations, item)!;
    }

    /// <summary>Creates <paramref name="count"/> default values of an item type: a stand-in for the shape of a label's values before any data is seen.</summary>
    public static ClassValues Placeholder(PrimitiveDataViewType itemType, int count)
    {
        var type = typeof(ClassValues<>).MakeGenericType(itemType.RawType);
        return (ClassValues)Activator.CreateInstance(type, Array.CreateInstance(itemType.RawType, count), itemType)!;
    }

    /// <summary>Adds the values as <c>KeyValues</c> (for a key column).</summary>
    public abstract void AddKeyValues(DataViewSchema.Annotations.Builder builder);

    /// <summary>Adds the values under another annotation kind (<c>TrainingLabelValues</c>).</summary>
    public abstract void AddAs(DataViewSchema.Annotations.Builder builder, string kind);

    /// <summary>Creates ML.NET's value mapping from a 0-based class index to a key carrying these values.</summary>
    public abstract IEstimator<ITransformer> MapIndexToKey(MLContext ml, string outputColumn, string inputColumn);

    /// <summary>Creates the mapping from a 0-based class index to a key of <paramref name="count"/> classes, for labels without key values.</summary>
    public static IEstimator<ITransformer> MapIndexToKey(MLContext ml, int count, string outputColumn, string inputColumn) =>
        ml.Transforms.Conversion.MapValue(outputColumn, Enumerable.Range(0, count).Select(i => new KeyValuePair<uint, uint>((uint)i, (uint)i)), inputColumn, treatValuesAsKeyType: true);
}

/// <summary>The class values of one item type.</summary>
/// <typeparam name="T">The raw type of the values.</typeparam>
internal sealed class ClassValues<T> : ClassValues
{
    private readonly T[] _values;

    public ClassValues(DataViewSchema.Annotations annotations, PrimitiveDataViewType itemType)
        : this(Read(annotations), itemType)
    {
    }

    public ClassValues(T[] values, PrimitiveDataViewType itemType)
    {
        _values = values;
        ItemType = itemType;
        Names = _values.Select(v => v?.ToString() ?? "").ToArray();
    }

    public override PrimitiveDataViewType ItemType { get; }

    public override int Count => _values.Length;

    public override IReadOnlyList<string> Names { get; }

    /// <summary>Gets the values.</summary>
    public IReadOnlyList<T> Values => _values;

    public override void AddKeyValues(DataViewSchema.Annotations.Builder builder) =>
        builder.Add("KeyValues", new VectorDataViewType(ItemType, _values.Length), (ValueGetter<VBuffer<T>>)Getter);

    public override void AddAs(DataViewSchema.Annotations.Builder builder, string kind) =>
        builder.Add(kind, new VectorDataViewType(ItemType, _values.Length), (ValueGetter<VBuffer<T>>)Getter);

    public override IEstimator<ITransformer> MapIndexToKey(MLContext ml, string outputColumn, string inputColumn)
    {
        if (_values is ReadOnlyMemory<char>[] text)
        {
            return ml.Transforms.Conversion.MapValue(outputColumn, text.Select((v, i) => new KeyValuePair<uint, string>((uint)i, v.ToString())), inputColumn, treatValuesAsKeyType: true);
        }

        return ml.Transforms.Conversion.MapValue(outputColumn, _values.Select((v, i) => new KeyValuePair<uint, T>((uint)i, v)), inputColumn, treatValuesAsKeyType: true);
    }

    private static T[] Read(DataViewSchema.Annotations annotations)
    {
        VBuffer<T> buffer = default;
        annotations.GetValue("KeyValues", ref buffer);
        return buffer.DenseValues().ToArray();
    }

    private void Getter(ref VBuffer<T> value) => value = new VBuffer<T>(_values.Length, (T[])_values.Clone());
}
