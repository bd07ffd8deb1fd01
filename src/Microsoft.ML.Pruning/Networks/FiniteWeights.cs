using Microsoft.ML.Pruning.Data;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// Checks that a network's weights and buffers (BatchNorm statistics) are finite: a NaN or infinite weight makes every
/// score NaN, so the library refuses to load or save such a model rather than pass it on silently.
/// </summary>
internal static class FiniteWeights
{
    /// <summary>Throws when a parameter or buffer of <paramref name="network"/> holds NaN or an infinity, naming the layer, the tensor and the first bad index.</summary>
    /// <param name="network">The network.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">A value is not finite; <see cref="ArgumentException.ParamName"/> is <c>network</c>.</exception>
    public static void Ensure(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        foreach (var node in network.Nodes)
        {
            foreach (var tensor in node.Layer.Parameters.Concat(node.Layer.Buffers))
            {
                if (Describe(node.Layer.Name, tensor.Name, tensor.Value.Span) is { } problem)
                {
                    throw new ArgumentException($"{problem}; a model with non-finite weights is neither saved nor used.", nameof(network));
                }
            }
        }
    }

    /// <summary>Describes the first non-finite value of a layer's tensor, or returns null when all are finite.</summary>
    internal static string? Describe(string layer, string tensor, ReadOnlySpan<float> values)
    {
        int i = FiniteValues.IndexOfNonFinite(values);
        return i < 0 ? null : $"layer '{layer}': {tensor}[{i}] is {FiniteValues.Describe(values[i])}";
    }
}
