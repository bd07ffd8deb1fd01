using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>The inverse of <see cref="Fold"/>, and the preprocessing at another image size.</summary>
internal sealed partial class ChannelAffine
{
    /// <summary>
    /// Returns the preprocessing for images of another size: itself when its offsets are one per channel or already of
    /// that size; else, for a mean image of another size (ML.NET's <c>ResNetPreprocess.onnx</c> subtracts a 224x224
    /// one), the mean of each channel's offsets as one offset per channel.
    /// </summary>
    /// <param name="height">The image height.</param>
    /// <param name="width">The image width.</param>
    /// <returns>The preprocessing.</returns>
    public ChannelAffine ForImageSize(int height, int width)
    {
        if (OffsetPlane == 1 || (Offsets.Dim(1) == height && Offsets.Dim(2) == width))
        {
            return this;
        }

        int plane = OffsetPlane;
        var means = new float[OutputChannels];
        for (int c = 0; c < OutputChannels; c++)
        {
            double sum = 0;
            foreach (float offset in Offsets.Span.Slice(c * plane, plane))
            {
                sum += offset;
            }

            means[c] = (float)(sum / plane);
        }

        return new ChannelAffine(InputChannels, [.. Sources], [.. Scales], FloatTensor.FromValues(means, OutputChannels, 1, 1));
    }

    /// <summary>
    /// Returns the network that <see cref="Fold"/> was given: the layers named <see cref="LayerPrefix"/>_... in front
    /// removed and, where the preprocessing was folded into the first convolution, its weights divided back. Training works on that form (with the preprocessing prepended), so that the optimizer
    /// steps the weights of the first convolution at the scale they were trained at.
    /// </summary>
    /// <param name="network">A network that <see cref="Fold"/> returned, possibly trained or pruned since (the first convolution's input channels unchanged).</param>
    /// <returns>The network that takes preprocessed images.</returns>
    public Network Unfold(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var rest = RemovePrepended(network);
        if (FirstConvolutionToFold(rest) is not { } first)
        {
            return rest;
        }

        RemapWeights((Conv2d)first.Layer, fold: false);
        return rest;
    }

    /// <summary>
    /// Moves the first convolution's weights between preprocessed channel c and raw channel π(c): folding multiplies
    /// them by the scale s[c] (the weights then read raw pixels), unfolding divides them by it (they read preprocessed ones).
    /// </summary>
    private void RemapWeights(Conv2d conv, bool fold)
    {
        var original = conv.Weight.Value.Span.ToArray();
        Span<float> weight = conv.Weight.Value.Span;
        int taps = conv.Kernel.Height * conv.Kernel.Width;
        for (int f = 0; f < conv.OutChannels; f++)
        {
            for (int c = 0; c < OutputChannels; c++)
            {
                int preprocessed = ((f * InputChannels) + c) * taps, raw = ((f * InputChannels) + Sources[c]) * taps;
                var from = original.AsSpan(fold ? preprocessed : raw, taps);
                var to = weight.Slice(fold ? raw : preprocessed, taps);
                for (int t = 0; t < taps; t++)
                {
                    to[t] = fold ? Scales[c] * from[t] : from[t] / Scales[c];
                }
            }
        }
    }

    /// <summary>Returns the network that <see cref="Prepend"/> was given: the layers named <see cref="LayerPrefix"/>_... in front removed.</summary>
    /// <param name="network">A network that <see cref="Prepend"/> returned, possibly trained or pruned since.</param>
    /// <returns>The network that takes preprocessed images.</returns>
    public static Network RemovePrepended(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        int front = network.Nodes.TakeWhile(n => n.Layer.Name.StartsWith(LayerPrefix + "_", StringComparison.Ordinal)).Count();
        return NetworkSurgery.RemoveFront(network, front);
    }

    /// <summary>Returns the network's one reader of its input when it is an ungrouped convolution and the map can be folded into it (a permutation of the channels with non-zero scales); else <see langword="null"/>.</summary>
    private NetworkNode? FirstConvolutionToFold(Network network)
    {
        bool permutation = OutputChannels == InputChannels && Sources.Distinct().Count() == InputChannels;
        var readers = network.Nodes.Where(n => n.Inputs.Contains(NetworkNode.NetworkInput)).ToList();
        return permutation && !Scales.Any(s => s == 0f) && readers is [{ Layer: Conv2d { Groups: 1 }, Inputs.Count: 1 } first] ? first : null;
    }
}
