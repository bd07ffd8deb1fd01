using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>
/// Folds a feature normalization into the first dense layer, so that the saved model takes raw features:
/// W·((x − o)·s) + b = (W·diag(s))·x + (b − W·(o·s)).
/// </summary>
internal static class InputFolding
{
    /// <summary>Folds <paramref name="normalizer"/> into <paramref name="network"/> in place, if its input feeds one dense layer (through a Flatten at most).</summary>
    /// <returns>Whether it was folded; when not, the network is unchanged and expects normalized features.</returns>
    public static bool TryFold(Network network, Normalizer normalizer)
    {
        var dense = FirstDense(network);
        if (dense is null || dense.Inputs != normalizer.FeatureCount || (dense.Bias is null && normalizer.Offsets.Any(o => o != 0)))
        {
            return false;
        }

        Span<float> weight = dense.Weight.Value.Span;
        Span<float> bias = dense.Bias is null ? [] : dense.Bias.Value.Span;
        int inputs = dense.Inputs;
        for (int o = 0; o < dense.Outputs; o++)
        {
            Span<float> row = weight.Slice(o * inputs, inputs);
            double shift = 0;
            for (int i = 0; i < inputs; i++)
            {
                row[i] *= normalizer.Scales[i];
                shift += (double)row[i] * normalizer.Offsets[i];
            }

            if (!bias.IsEmpty)
            {
                bias[o] -= (float)shift;
            }
        }

        return true;
    }

    private static Dense? FirstDense(Network network)
    {
        var readers = network.Nodes.Where(n => n.Inputs.Contains(NetworkNode.NetworkInput)).ToArray();
        if (readers.Length != 1)
        {
            return null;
        }

        var node = readers[0];
        if (node.Layer is Flatten)
        {
            var next = network.ConsumersOf(node.Index);
            node = next.Count == 1 ? network.Nodes[next[0]] : node;
        }

        return node.Layer is Dense dense && node.Inputs.Count == 1 ? dense : null;
    }
}
