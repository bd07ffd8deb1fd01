using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// A per-channel affine preprocessing of images [channels, height, width]: output channel c is
/// <c>Scales[c] · input channel Sources[c] + Offsets[c]</c>, where the offset is one value per channel or one per pixel
/// (a mean image). It covers ImageNet's mean and standard deviation, a channel reorder (RGB to BGR) and the
/// preprocessing graph ML.NET ships beside its ResNet18 (<c>ResNetPreprocess.onnx</c>: RGB to BGR, minus a mean image).
/// </summary>
/// <remarks>
/// <see cref="Prepend"/> puts it in front of a network as layers; <see cref="Fold"/> moves the reorder and the scales into
/// the weights of the network's first convolution, exactly (a convolution is linear in each input channel, and zero
/// padding stays zero under scaling and reordering), and keeps only the offsets as a layer in front, since they do not
/// commute with the convolution's zero padding. Either way the result takes the raw images and computes what the
/// network computes on preprocessed ones.
/// </remarks>
internal sealed partial class ChannelAffine
{
    /// <summary>The prefix of the layers that <see cref="Prepend"/> and <see cref="Fold"/> add.</summary>
    public const string LayerPrefix = "preprocessing";

    private ChannelAffine(int inputChannels, int[] sources, float[] scales, FloatTensor offsets)
    {
        InputChannels = inputChannels;
        Sources = sources;
        Scales = scales;
        Offsets = offsets;
    }

    /// <summary>Gets the number of channels of the raw images.</summary>
    public int InputChannels { get; }

    /// <summary>Gets, for each output channel, the input channel it reads.</summary>
    public IReadOnlyList<int> Sources { get; }

    /// <summary>Gets, for each output channel, the factor of its input channel.</summary>
    public IReadOnlyList<float> Scales { get; }

    /// <summary>Gets the offsets added after scaling: [channels, 1, 1] (one per channel) or [channels, height, width] (one per pixel).</summary>
    public FloatTensor Offsets { get; }

    /// <summary>Gets the number of output channels.</summary>
    public int OutputChannels => Sources.Count;

    /// <summary>Creates the normalisation (x · <paramref name="pixelScale"/> − mean) / standard deviation per channel, such as ImageNet's.</summary>
    /// <param name="mean">The mean of each channel (after <paramref name="pixelScale"/>).</param>
    /// <param name="standardDeviation">The standard deviation of each channel; positive.</param>
    /// <param name="pixelScale">The factor applied to raw pixels first, such as 1/255 for pixels in [0, 255].</param>
    /// <returns>The preprocessing.</returns>
    /// <exception cref="ArgumentException">The arrays are empty or of different lengths, or a value is not finite or a deviation not positive.</exception>
    public static ChannelAffine FromMeanAndStandardDeviation(float[] mean, float[] standardDeviation, float pixelScale = 1f)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(standardDeviation);
        if (mean.Length == 0 || mean.Length != standardDeviation.Length)
        {
            throw new ArgumentException($"{mean.Length} means and {standardDeviation.Length} standard deviations; one of each per channel is needed.", nameof(standardDeviation));
        }

        if (!float.IsFinite(pixelScale) || pixelScale == 0f || mean.Any(m => !float.IsFinite(m)) || standardDeviation.Any(s => !(s > 0f) || !float.IsFinite(s)))
        {
            throw new ArgumentException("The means and the pixel scale must be finite (the scale not 0) and the standard deviations positive.", nameof(standardDeviation));
        }

        int channels = mean.Length;
        var offsets = new float[channels];
        var scales = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            scales[c] = (float)(pixelScale / (double)standardDeviation[c]);
            offsets[c] = (float)(-mean[c] / (double)standardDeviation[c]);
        }

        return new ChannelAffine(channels, Enumerable.Range(0, channels).ToArray(), scales, FloatTensor.FromValues(offsets, channels, 1, 1));
    }

    /// <summary>Reads a preprocessing ONNX model, such as ML.NET's <c>ResNetPreprocess.onnx</c>, that is a per-channel affine map.</summary>
    /// <param name="path">The .onnx file.</param>
    /// <returns>The preprocessing.</returns>
    /// <exception cref="OnnxImportException">The file does not import, or is not a per-channel affine map of its input (the message names the layer).</exception>
    public static ChannelAffine Load(string path)
    {
        var network = OnnxModel.Load(path);
        try
        {
            return Read(network);
        }
        catch (ArgumentException ex)
        {
            throw new OnnxImportException(path, null, null, ex.Message, ex);
        }
    }

    /// <summary>Applies the preprocessing to a batch.</summary>
    /// <param name="images">The raw images [batch, <see cref="InputChannels"/>, height, width].</param>
    /// <returns>The preprocessed images [batch, <see cref="OutputChannels"/>, height, width].</returns>
    /// <exception cref="ArgumentException">The batch's shape does not fit.</exception>
    public FloatTensor Apply(FloatTensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckImageShape(images.Shape.AsSpan(1).ToArray(), nameof(images));
        int batch = images.Dim(0), plane = images.Dim(2) * images.Dim(3), offsetPlane = OffsetPlane;
        var output = new FloatTensor(batch, OutputChannels, images.Dim(2), images.Dim(3));
        ReadOnlySpan<float> source = images.Span, offsets = Offsets.Span;
        Span<float> target = output.Span;
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < OutputChannels; c++)
            {
                var from = source.Slice(((n * InputChannels) + Sources[c]) * plane, plane);
                var to = target.Slice(((n * OutputChannels) + c) * plane, plane);
                for (int p = 0; p < plane; p++)
                {
                    to[p] = (Scales[c] * from[p]) + offsets[(c * offsetPlane) + (offsetPlane == 1 ? 0 : p)];
                }
            }
        }

        return output;
    }

    /// <summary>Returns a copy of <paramref name="network"/> with the preprocessing in front, as layers named <see cref="LayerPrefix"/>_...</summary>
    /// <param name="network">The network, which takes preprocessed images; not changed.</param>
    /// <returns>A network that takes raw images.</returns>
    /// <exception cref="ArgumentException">The network's input is not [<see cref="OutputChannels"/>, height, width] (of the offsets' size when they are per pixel).</exception>
    public Network Prepend(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        CheckNetwork(network);
        var layers = new List<(Layer Layer, int[] Inputs)>();
        if (!IsIdentityOrder)
        {
            var runs = Runs();
            foreach (var (start, count) in runs)
            {
                layers.Add((new ChannelSlice(start, count, $"{LayerPrefix}_channels_{layers.Count}"), [NetworkNode.NetworkInput]));
            }

            if (runs.Count > 1)
            {
                layers.Add((new Concat(runs.Count, $"{LayerPrefix}_order"), Enumerable.Range(0, runs.Count).ToArray()));
            }
        }

        if (Scales.Any(s => s != 1f))
        {
            layers.Add((new ConstantOperation(BinaryOperation.Multiply, FloatTensor.FromValues([.. Scales], OutputChannels, 1, 1), name: $"{LayerPrefix}_scale"), [layers.Count - 1]));
        }

        if (Offsets.Span.IndexOfAnyExcept(0f) >= 0)
        {
            layers.Add((new ConstantOperation(BinaryOperation.Add, Offsets, name: $"{LayerPrefix}_offset"), [layers.Count - 1]));
        }

        return InFront(network, InputShapeFor(network), layers);
    }

    /// <summary>
    /// Returns a copy of <paramref name="network"/> that takes raw images: the channel order and scales folded into its
    /// first convolution's weights and the offsets (moved to the raw channels) as one layer in front; or, when the
    /// network does not start with one ungrouped convolution or the map cannot be inverted (a channel read twice or
    /// scaled by 0), <see cref="Prepend"/>'s result.
    /// </summary>
    /// <param name="network">The network, which takes preprocessed images; not changed.</param>
    /// <returns>A network that takes raw images.</returns>
    /// <exception cref="ArgumentException">The network's input does not fit, as for <see cref="Prepend"/>.</exception>
    public Network Fold(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        CheckNetwork(network);
        if (FirstConvolutionToFold(network) is not { } first)
        {
            return Prepend(network);
        }

        var copy = NetworkSerializer.Clone(network);
        var conv = (Conv2d)copy.Nodes[first.Index].Layer;
        RemapWeights(conv, fold: true);

        // y[c] = s[c]·(x[π(c)] + o[c] / s[c]): the offset moves to raw channel π(c), divided by the scale.
        int plane = OffsetPlane;
        var moved = new float[Offsets.Length];
        for (int c = 0; c < OutputChannels; c++)
        {
            for (int p = 0; p < plane; p++)
            {
                moved[(Sources[c] * plane) + p] = Offsets.Span[(c * plane) + p] / Scales[c];
            }
        }

        var layers = new List<(Layer Layer, int[] Inputs)>();
        if (moved.AsSpan().IndexOfAnyExcept(0f) >= 0)
        {
            layers.Add((new ConstantOperation(BinaryOperation.Add, FloatTensor.FromValues(moved, Offsets.Shape), name: $"{LayerPrefix}_offset"), [NetworkNode.NetworkInput]));
        }

        return InFront(copy, copy.InputShape, layers, cloned: true);
    }

    private int OffsetPlane => Offsets.Dim(1) * Offsets.Dim(2);

    private bool IsIdentityOrder => OutputChannels == InputChannels && Sources.Select((s, c) => s == c).All(same => same);

    /// <summary>Splits the sources into runs of consecutive input channels (one ChannelSlice each).</summary>
    private List<(int Start, int Count)> Runs()
    {
        var runs = new List<(int Start, int Count)>();
        foreach (int source in Sources)
        {
            if (runs.Count > 0 && runs[^1].Start + runs[^1].Count == source)
            {
                runs[^1] = (runs[^1].Start, runs[^1].Count + 1);
            }
            else
            {
                runs.Add((source, 1));
            }
        }

        return runs;
    }

    private int[] InputShapeFor(Network network) => [InputChannels, network.InputShape[1], network.InputShape[2]];

    private void CheckNetwork(Network network)
    {
        if (network.InputShape.Length != 3 || network.InputShape[0] != OutputChannels)
        {
            throw new ArgumentException($"The network takes {FloatTensor.FormatShape(network.InputShape)}; the preprocessing gives images of {OutputChannels} channels [channels, height, width].", nameof(network));
        }

        CheckImageShape(InputShapeFor(network), nameof(network));
    }

    private void CheckImageShape(int[] shape, string parameter)
    {
        bool fits = shape.Length == 3 && shape[0] == InputChannels
            && (OffsetPlane == 1 || (shape[1] == Offsets.Dim(1) && shape[2] == Offsets.Dim(2)));
        if (!fits)
        {
            throw new ArgumentException($"Images of per-sample shape {FloatTensor.FormatShape(shape)} do not fit the preprocessing, which reads {InputChannels} channels{(OffsetPlane == 1 ? string.Empty : $" of {Offsets.Dim(1)}x{Offsets.Dim(2)} pixels")}.", parameter);
        }
    }

    /// <summary>Builds a network of <paramref name="layers"/> (inputs among themselves, -1 for the network input) followed by a copy of <paramref name="network"/>'s nodes.</summary>
    private static Network InFront(Network network, int[] inputShape, List<(Layer Layer, int[] Inputs)> layers, bool cloned = false)
    {
        var copy = cloned ? network : NetworkSerializer.Clone(network);
        var result = new Network(inputShape);
        foreach (var (layer, inputs) in layers)
        {
            result.Add(layer, inputs);
        }

        int last = layers.Count - 1, shift = layers.Count;
        foreach (var node in copy.Nodes)
        {
            result.Add(node.Layer, node.Inputs.Select(i => i == NetworkNode.NetworkInput ? last : i + shift).ToArray());
        }

        return result;
    }
}
