namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// Finds the fitted transformer that wrote a data view's <c>Score</c> column, so that a stage works on the model the
/// stage before it produced. The column carries the model's id as an annotation, which survives ML.NET plumbing
/// between the stages (<c>AppendCacheCheckpoint</c>, other transforms); the registry holds the transformers weakly,
/// so it never keeps a model alive.
/// </summary>
internal static class ModelRegistry
{
    private static readonly Dictionary<string, WeakReference<NeuralNetworkTransformer>> Models = new(StringComparer.Ordinal);

    /// <summary>Registers a transformer and returns its id.</summary>
    public static string Register(NeuralNetworkTransformer transformer)
    {
        string id = Guid.NewGuid().ToString("N");
        lock (Models)
        {
            foreach (var dead in Models.Where(m => !m.Value.TryGetTarget(out _)).Select(m => m.Key).ToArray())
            {
                Models.Remove(dead);
            }

            Models[id] = new WeakReference<NeuralNetworkTransformer>(transformer);
        }

        return id;
    }

    /// <summary>Finds the transformer that wrote <paramref name="schema"/>'s <c>Score</c> column, or returns <see langword="null"/>.</summary>
    public static NeuralNetworkTransformer? Find(DataViewSchema schema)
    {
        string? id = ScoreColumns.ModelIdOf(schema);
        if (id is null)
        {
            return null;
        }

        lock (Models)
        {
            return Models.TryGetValue(id, out var reference) && reference.TryGetTarget(out var model) ? model : null;
        }
    }
}
