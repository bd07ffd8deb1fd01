using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Samples;

/// <summary>The figures the MLP samples print about their Dense layers.</summary>
internal static class DenseFigures
{
    /// <summary>The hidden widths, such as 550-375-375-375-375.</summary>
    public static string Widths(Network network) =>
        string.Join("-", DenseLayers(network).SkipLast(1).Select(d => d.Outputs));

    /// <summary>The connections: every Dense weight (biases excluded), as the papers count them.</summary>
    public static long Weights(Network network) => DenseLayers(network).Sum(d => (long)d.Weight.Length);

    /// <summary>The connections that are not masked to zero.</summary>
    public static long NonzeroWeights(Network network) =>
        DenseLayers(network).Sum(d => (long)d.Weight.Value.Span.ToArray().Count(v => v != 0));

    private static IEnumerable<Dense> DenseLayers(Network network) => network.Nodes.Select(n => n.Layer).OfType<Dense>();
}
