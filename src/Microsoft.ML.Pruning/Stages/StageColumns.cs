using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>The checked input columns of a stage or a fitted transformer: names, sizes and the label's class values.</summary>
/// <param name="Features">The feature column's name.</param>
/// <param name="FeatureCount">The values per row.</param>
/// <param name="Label">The label column's name, or <see langword="null"/> when scoring without labels.</param>
/// <param name="ClassCount">The number of classes the model scores.</param>
/// <param name="ClassValues">The label's key values, or <see langword="null"/>.</param>
internal sealed record StageColumns(string Features, int FeatureCount, string? Label, int ClassCount, ClassValues? ClassValues)
{
    private static readonly string[] IntegerTypes = ["Byte", "SByte", "Int16", "UInt16", "Int32", "UInt32", "Int64", "UInt64"];

    /// <summary>Checks a schema against a model's input and output shapes.</summary>
    /// <param name="schema">The data's schema.</param>
    /// <param name="features">The feature column's name.</param>
    /// <param name="label">The label column's name, or <see langword="null"/> not to check one.</param>
    /// <param name="inputShape">The model's input shape.</param>
    /// <param name="classCount">The model's class count.</param>
    /// <returns>The columns.</returns>
    /// <exception cref="ArgumentException">A column is missing, has the wrong type, or its size does not fit the model (the message names the column and both sizes).</exception>
    public static StageColumns Check(DataViewSchema schema, string features, string? label, int[] inputShape, int classCount)
    {
        int width = FloatTensor.ComputeLength(inputShape);
        var column = Find(schema, features);
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType n, Size: int size } || n != NumberDataViewType.Single || size == 0)
        {
            throw new ArgumentException($"Column '{features}' has type {column.Type}; it must be a known-size vector of Single (Vector<Single, {width}> for this model).", "inputSchema");
        }

        if (size != width)
        {
            throw new ArgumentException($"Column '{features}' has {size} values per row but the model expects {width} (input shape {FloatTensor.FormatShape(inputShape)}).", "inputSchema");
        }

        ClassValues? values = null;
        if (label is not null)
        {
            var labelColumn = Find(schema, label);
            if (labelColumn.Type is KeyDataViewType key)
            {
                if (key.Count != (ulong)classCount)
                {
                    throw new ArgumentException($"Column '{label}' is a key of {key.Count} classes but the model scores {classCount}.", "inputSchema");
                }

                values = ClassValues.Of(labelColumn);
            }
            else if (!IntegerTypes.Contains(labelColumn.Type.RawType.Name) || labelColumn.Type is VectorDataViewType)
            {
                throw new ArgumentException($"Column '{label}' has type {labelColumn.Type}; the label must be a key (MapValueToKey) or an integer class index.", "inputSchema");
            }
        }

        return new StageColumns(features, width, label, classCount, values);
    }

    /// <summary>Checks a schema shape before fitting: the columns exist and have usable types.</summary>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type.</exception>
    public static void CheckShape(SchemaShape input, string features, string? label)
    {
        if (FindShape(input, features) is not { } column)
        {
            throw new ArgumentException($"Column '{features}' was not found in the data (columns: {string.Join(", ", input.Select(c => c.Name))}).", "inputSchema");
        }

        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentException($"Column '{features}' is a {column.Kind} of {column.ItemType}; it must be a known-size vector of Single.", "inputSchema");
        }

        if (label is null)
        {
            return;
        }

        if (FindShape(input, label) is not { } labelColumn)
        {
            throw new ArgumentException($"Column '{label}' was not found in the data (columns: {string.Join(", ", input.Select(c => c.Name))}); fitting needs a key or integer label.", "inputSchema");
        }

        if (labelColumn.Kind != SchemaShape.Column.VectorKind.Scalar || (!labelColumn.IsKey && !IntegerTypes.Contains(labelColumn.ItemType.RawType.Name)))
        {
            throw new ArgumentException($"Column '{label}' has type {labelColumn.ItemType}{(labelColumn.Kind == SchemaShape.Column.VectorKind.Scalar ? "" : " (a vector)")}; the label must be a key (MapValueToKey) or an integer class index.", "inputSchema");
        }
    }

    /// <summary>Finds a column of a schema shape by name, or returns <see langword="null"/>.</summary>
    public static SchemaShape.Column? FindShape(SchemaShape shape, string name) =>
        shape.Where(c => c.Name == name).Select(c => (SchemaShape.Column?)c).LastOrDefault();

    private static DataViewSchema.Column Find(DataViewSchema schema, string name) =>
        schema.GetColumnOrNull(name)
        ?? throw new ArgumentException($"Column '{name}' was not found in the data (columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}).", "inputSchema");
}
