using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// Folds a fitted feature <see cref="Normalizer"/> into a network's first Dense layer, so that the network (and a model
/// saved from it) takes raw features: W·((x − o)·s) + b = (W·diag(s))·x + (b − W·(o·s)).
/// </summary>
/// <remarks>
/// Train and prune on normalized data, then fold once before saving: the folded network on raw features scores as the
/// unfolded one on normalized features, up to float rounding. Folding twice applies the normalization twice.
/// </remarks>
internal static class InputNormalizationFolding
{
    /// <summary>Gets whether <paramref name="normalizer"/> can be folded into <paramref name="network"/> by <see cref="TryFold"/>.</summary>
    /// <param name="network">The network.</param>
    /// <param name="normalizer">The normalization fitted on the network's training features.</param>
    /// <returns>
    /// <see langword="true"/> when the network's input feeds exactly one Dense layer (directly or through one Flatten)
    /// with one input weight per normalized feature, and that layer has a bias or every offset is zero.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static bool CanFold(Network network, Normalizer normalizer)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(normalizer);
        var dense = FirstDense(network);
        return dense is not null && dense.Inputs == normalizer.FeatureCount && (dense.Bias is not null || normalizer.Offsets.All(o => o == 0));
    }

    /// <summary>Folds <paramref name="normalizer"/> into <paramref name="network"/>'s first Dense layer in place, when <see cref="CanFold"/> says it can.</summary>
    /// <param name="network">The network, trained on features normalized by <paramref name="normalizer"/>.</param>
    /// <param name="normalizer">The normalization.</param>
    /// <returns>Whether it was folded; when not, the network is unchanged and still expects normalized features.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static bool TryFold(Network network, Normalizer normalizer)
    {
        if (!CanFold(network, normalizer))
        {
            return false;
        }

        var dense = FirstDense(network)!;
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

    /// <summary>The name of the BatchNorm layer that <see cref="Carry"/> puts in front of a network it cannot fold into.</summary>
    public const string LayerName = "input_normalization";

    /// <summary>
    /// Returns a network that takes raw features and scores as <paramref name="network"/> does on features normalized by
    /// <paramref name="normalizer"/>: <paramref name="network"/> itself with the normalization folded into its first Dense
    /// layer (<see cref="TryFold"/>), or else a copy with a BatchNorm layer named <see cref="LayerName"/> in front that
    /// applies it (a convolution first, for example). ONNX export carries that layer as BatchNormalization.
    /// </summary>
    /// <param name="network">The network, trained on normalized features; it is changed in place when folded.</param>
    /// <param name="normalizer">The normalization; when it cannot be folded, its statistics must be one per input channel (<see cref="Normalizer.FitPerChannel"/>).</param>
    /// <returns>The network that takes raw features.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// The normalizer covers another number of features than the network's input, or it cannot be folded and its
    /// statistics differ within an input channel (fit it with <see cref="Normalizer.FitPerChannel"/>).
    /// </exception>
    public static Network Carry(Network network, Normalizer normalizer)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(normalizer);
        int features = Tensors.FloatTensor.ComputeLength(network.InputShape);
        if (normalizer.FeatureCount != features)
        {
            throw new ArgumentException($"The normalizer was fitted on {normalizer.FeatureCount} features but the network takes {features} ({Tensors.FloatTensor.FormatShape(network.InputShape)}).", nameof(normalizer));
        }

        if (TryFold(network, normalizer))
        {
            return network;
        }

        if (network.InputShape.Length is not (1 or 3) || !normalizer.IsPerChannel(network.InputShape, out float[] offsets, out float[] scales))
        {
            throw new ArgumentException(
                $"The normalization cannot be folded into the network's first layer ({network.Nodes[0].Layer.GetType().Name}) and differs within its input channels ({Tensors.FloatTensor.FormatShape(network.InputShape)}); fit it with Normalizer.FitPerChannel so that a BatchNorm in front can carry it.",
                nameof(normalizer));
        }

        // BatchNorm computes scale·(x − mean)/√(variance + ε) + shift: mean o, variance 1 and scale s·√(1 + ε) give s·(x − o).
        var norm = new BatchNorm(offsets.Length, name: LayerName);
        offsets.CopyTo(norm.RunningMean.Value.Span);
        for (int c = 0; c < scales.Length; c++)
        {
            norm.Scale.Value.Span[c] = (float)(scales[c] * Math.Sqrt(1 + (double)norm.Epsilon));
        }

        var copy = NetworkSerializer.Clone(network);
        var carried = new Network(copy.InputShape);
        carried.Add(norm, NetworkNode.NetworkInput);
        foreach (var node in copy.Nodes)
        {
            carried.Add(node.Layer, node.Inputs.Select(i => i + 1).ToArray());
        }

        return carried;
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
