namespace Microsoft.ML.Pruning.Stages;

/// <summary>The column names ML.NET's trainers use by default, which every stage uses unless its options say otherwise.</summary>
internal static class DefaultColumnNames
{
    /// <summary>The input feature vector: <c>Features</c>.</summary>
    public const string Features = "Features";

    /// <summary>The class label: <c>Label</c>.</summary>
    public const string Label = "Label";

    /// <summary>The class probabilities the stages write: <c>Score</c>.</summary>
    public const string Score = "Score";

    /// <summary>The predicted class the stages write (a key): <c>PredictedLabel</c>.</summary>
    public const string PredictedLabel = "PredictedLabel";
}
