namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// The schema shape a stage's output has before fitting. ML.NET keeps <c>SchemaShape</c>'s constructors internal, so the
/// shape (with ML.NET's multiclass annotations) comes from a stock multiclass trainer's <c>GetOutputSchema</c>, which
/// never fits.
/// </summary>
internal static class OutputShape
{
    private const string KeyLabel = "Microsoft.ML.Pruning.LabelKey";
    private static readonly object Gate = new();
    private static readonly MLContext Context = new(seed: 0);

    /// <summary>Returns the input shape plus <c>Score</c> and <c>PredictedLabel</c>.</summary>
    public static SchemaShape Of(SchemaShape input, string features, string label)
    {
        lock (Gate)
        {
            if (StageColumns.FindShape(input, label) is { IsKey: true })
            {
                return Context.MulticlassClassification.Trainers.SdcaMaximumEntropy(label, features).GetOutputSchema(input);
            }

            // An integer label: shape the output as if it were a key, then drop the helper column.
            var chain = Context.Transforms.Conversion.MapValueToKey(KeyLabel, label)
                .Append(Context.MulticlassClassification.Trainers.SdcaMaximumEntropy(KeyLabel, features))
                .Append(Context.Transforms.DropColumns(KeyLabel));
            return chain.GetOutputSchema(input);
        }
    }
}
