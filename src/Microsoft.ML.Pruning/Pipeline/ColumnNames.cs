namespace Microsoft.ML.Pruning;

/// <summary>
/// The column names of a <see cref="DatasetSchema"/>. They are ML.NET's default column names, so that an adapter can map
/// an <c>IDataView</c> one to one: <c>Features</c> (a float vector, or a known-size tensor flattened row-major),
/// <c>Label</c> (a key or an integer class index), and after scoring <c>Score</c> (one float per class, softmax
/// probabilities) and <c>PredictedLabel</c> (the arg-max class index, a key in ML.NET).
/// </summary>
public static class ColumnNames
{
    /// <summary>The input features: <see cref="Data.Dataset.Features"/>, one tensor of <see cref="Data.Dataset.SampleShape"/> per row.</summary>
    public const string Features = "Features";

    /// <summary>The class label: <see cref="Data.Dataset.Labels"/>, an index in [0, class count).</summary>
    public const string Label = "Label";

    /// <summary>The scores a transformer adds: one probability per class (the network's output after a softmax).</summary>
    public const string Score = "Score";

    /// <summary>The predicted class a transformer adds: the index of the largest score.</summary>
    public const string PredictedLabel = "PredictedLabel";
}
