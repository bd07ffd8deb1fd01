namespace Microsoft.ML.Pruning.Networks;

/// <summary>Seeded parameter initializers.</summary>
internal static class Initializers
{
    /// <summary>Fills <paramref name="values"/> from U(-bound, bound).</summary>
    public static void Uniform(Span<float> values, float bound, Random random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(((random.NextDouble() * 2) - 1) * bound);
        }
    }
}
