using Microsoft.ML.Data;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// The schema shape a stage's output has before fitting: the input's columns, then <c>Score</c> and
/// <c>PredictedLabel</c> with exactly the annotations <see cref="NeuralNetworkTransformer"/> writes (<see cref="ScoreColumns"/>).
/// </summary>
/// <remarks>
/// ML.NET keeps <c>SchemaShape.Column</c>'s constructor and <c>SchemaShape.Create</c> internal. The one public route to a
/// shape with annotations of one's choosing is an estimator whose output shape is built from a
/// <see cref="SchemaDefinition"/>: <c>CustomMapping</c>'s <c>GetOutputSchema</c> adds its output columns with the
/// definition's types and annotations, and never maps a row. So the shape is built from the same annotations the fitted
/// transformer writes, on an <see cref="MLContext"/> of its own (no shared state, no lock).
/// </remarks>
internal static class OutputShape
{
    /// <summary>Returns the input shape plus <c>Score</c> and <c>PredictedLabel</c>.</summary>
    /// <param name="input">The input shape.</param>
    /// <param name="label">The label column's name (its key values, if any, become the class values).</param>
    /// <param name="classCount">The model's class count, when known before fitting (a shape does not record sizes).</param>
    public static SchemaShape Of(SchemaShape input, string label, int? classCount)
    {
        int classes = Math.Max(1, classCount ?? 1);
        ClassValues? values = StageColumns.FindShape(input, label) is { IsKey: true } key && KeyValuesType(key) is { } itemType
            ? ClassValues.Placeholder(itemType, classes)
            : null;
        var definition = SchemaDefinition.Create(typeof(ScoredRow));
        Define(definition[nameof(ScoredRow.Score)], ScoreColumns.ScoreType(classes), ScoreColumns.ScoreAnnotations(classes, values, modelId: ""));
        Define(definition[nameof(ScoredRow.PredictedLabel)], ScoreColumns.PredictedType(classes), ScoreColumns.PredictedAnnotations(values));
        var shape = new MLContext(seed: 0).Transforms.CustomMapping<NoColumns, ScoredRow>((_, _) => { }, contractName: null, outputSchemaDefinition: definition);
        return shape.GetOutputSchema(input);
    }

    /// <summary>Gets whether a shape's <c>Score</c> column was written by one of this library's stages (it carries the model's id).</summary>
    public static bool HasModel(SchemaShape input) =>
        StageColumns.FindShape(input, DefaultColumnNames.Score) is { } score && score.Annotations.Any(a => a.Name == ScoreColumns.ModelIdKind);

    private static PrimitiveDataViewType? KeyValuesType(SchemaShape.Column key) =>
        key.Annotations.Where(a => a.Name == "KeyValues" && a.Kind == SchemaShape.Column.VectorKind.Vector).Select(a => a.ItemType).OfType<PrimitiveDataViewType>().FirstOrDefault();

    private static void Define(SchemaDefinition.Column column, DataViewType type, DataViewSchema.Annotations annotations)
    {
        column.ColumnType = type;
        foreach (var annotation in annotations.Schema)
        {
            typeof(OutputShape).GetMethod(nameof(Annotate), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(annotation.Type.RawType).Invoke(null, [column, annotations, annotation]);
        }
    }

    private static void Annotate<T>(SchemaDefinition.Column column, DataViewSchema.Annotations annotations, DataViewSchema.Column annotation)
    {
        T value = default!;
        annotations.GetValue(annotation.Name, ref value);
        column.AddAnnotation(annotation.Name, value, annotation.Type);
    }

    /// <summary>The mapping's input: no column.</summary>
    private sealed class NoColumns
    {
    }

    /// <summary>The mapping's output: the two columns a stage adds (types and annotations set by the definition).</summary>
    private sealed class ScoredRow
    {
        public float[] Score { get; set; } = [];

        public uint PredictedLabel { get; set; }
    }
}
