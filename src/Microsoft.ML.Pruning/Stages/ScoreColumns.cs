using Microsoft.ML.Data;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// The two columns every stage writes, as ML.NET's multiclass trainers write them: <c>Score</c> (a known-size float
/// vector with the slot-name and score-kind annotations) and <c>PredictedLabel</c> (a scalar key carrying the label's
/// key values). <c>Score</c> also carries the id of the model that wrote it, so the next stage finds its model.
/// </summary>
internal static class ScoreColumns
{
    /// <summary>The annotation kind (on <c>Score</c>) naming the model that wrote it.</summary>
    public const string ModelIdKind = "Microsoft.ML.Pruning.ModelId";

    private const string ScoreColumnKind = "ScoreColumnKind";
    private const string ScoreValueKind = "ScoreValueKind";
    private const string ScoreColumnSetId = "ScoreColumnSetId";
    private const string TrainingLabelValues = "TrainingLabelValues";
    private static readonly KeyDataViewType SetIdType = new(typeof(uint), int.MaxValue);

    /// <summary>Builds the output schema: the input's columns, then <c>Score</c> and <c>PredictedLabel</c>.</summary>
    public static DataViewSchema Append(DataViewSchema input, int classCount, ClassValues? classValues, string modelId)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumn(DefaultColumnNames.Score, ScoreType(classCount), ScoreAnnotations(classCount, classValues, modelId));
        builder.AddColumn(DefaultColumnNames.PredictedLabel, PredictedType(classCount), PredictedAnnotations(classValues));
        return builder.ToSchema();
    }

    /// <summary>The type of <c>Score</c>: one probability per class.</summary>
    public static VectorDataViewType ScoreType(int classCount) => new(NumberDataViewType.Single, classCount);

    /// <summary>The type of <c>PredictedLabel</c>: a key of the classes.</summary>
    public static KeyDataViewType PredictedType(int classCount) => new(typeof(uint), classCount);

    /// <summary>The annotations of <c>Score</c>: slot names (text class values), the training label's values, the score kinds and the model's id.</summary>
    public static DataViewSchema.Annotations ScoreAnnotations(int classCount, ClassValues? classValues, string modelId)
    {
        var score = new DataViewSchema.Annotations.Builder();
        if (classValues is not null)
        {
            if (classValues.ItemType is TextDataViewType)
            {
                var names = classValues.Names.Select(n => n.AsMemory()).ToArray();
                score.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, classCount), (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(names.Length, (ReadOnlyMemory<char>[])names.Clone()));
            }

            classValues.AddAs(score, TrainingLabelValues);
        }

        AddScoreKinds(score, "Score");
        score.Add(ModelIdKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> value) => value = modelId.AsMemory());
        return score.ToAnnotations();
    }

    /// <summary>The annotations of <c>PredictedLabel</c>: the label's key values and the score kinds.</summary>
    public static DataViewSchema.Annotations PredictedAnnotations(ClassValues? classValues)
    {
        var predicted = new DataViewSchema.Annotations.Builder();
        classValues?.AddKeyValues(predicted);
        AddScoreKinds(predicted, "PredictedLabel");
        return predicted.ToAnnotations();
    }

    /// <summary>Returns the id of the model that wrote the visible <c>Score</c> column, or <see langword="null"/>.</summary>
    public static string? ModelIdOf(DataViewSchema schema)
    {
        var score = schema.GetColumnOrNull(DefaultColumnNames.Score);
        if (score?.Annotations.Schema.GetColumnOrNull(ModelIdKind) is null)
        {
            return null;
        }

        ReadOnlyMemory<char> id = default;
        score.Value.Annotations.GetValue(ModelIdKind, ref id);
        return id.ToString();
    }

    private static void AddScoreKinds(DataViewSchema.Annotations.Builder builder, string valueKind)
    {
        builder.Add(ScoreColumnSetId, SetIdType, (ref uint value) => value = 1);
        builder.Add(ScoreColumnKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> value) => value = "MulticlassClassification".AsMemory());
        builder.Add(ScoreValueKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> value) => value = valueKind.AsMemory());
    }
}
