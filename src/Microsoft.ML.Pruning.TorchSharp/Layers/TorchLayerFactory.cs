using Microsoft.ML.Pruning.Networks;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp.Layers;

/// <summary>Builds the TorchSharp twin of each managed layer kind.</summary>
internal static class TorchLayerFactory
{
    /// <summary>Gets the managed layer types that convert.</summary>
    public static IReadOnlyList<Type> SupportedTypes { get; } =
    [
        typeof(Dense), typeof(Conv2d), typeof(BatchNorm), typeof(Relu), typeof(LeakyRelu), typeof(Sigmoid), typeof(Tanh),
        typeof(Softmax), typeof(MaxPool2d), typeof(AvgPool2d), typeof(GlobalAvgPool), typeof(Flatten), typeof(Dropout),
        typeof(Networks.Add), typeof(Subtract), typeof(Multiply), typeof(Divide), typeof(ConstantOperation), typeof(Concat),
        typeof(ChannelSlice), typeof(ChannelShuffle), typeof(Pad2d), typeof(Clip), typeof(HardSigmoid), typeof(HardSwish),
        typeof(Silu), typeof(Elu), typeof(Gelu),
    ];

    /// <summary>Creates the twin of <paramref name="layer"/>, copying its parameters to <paramref name="device"/>.</summary>
    /// <param name="layer">The managed layer.</param>
    /// <param name="device">The device.</param>
    /// <param name="generator">The random source of dropout masks, on <paramref name="device"/>.</param>
    /// <param name="unfoldConvolutions">Whether CPU convolutions compute their input gradient through unfold and a matrix product rather than libtorch's <c>conv2d</c>.</param>
    /// <returns>The twin.</returns>
    /// <exception cref="NotSupportedException">The layer kind has no TorchSharp conversion; the message names the layer.</exception>
    public static TorchLayer Create(Layer layer, Device device, Generator generator, bool unfoldConvolutions) => layer switch
    {
        Dense dense => new DenseModule(dense, device),
        Conv2d convolution => new ConvolutionModule(convolution, device, unfoldConvolutions),
        BatchNorm batchNorm => new BatchNormModule(batchNorm, device),
        PoolingLayer pooling when pooling is MaxPool2d or AvgPool2d => new PoolingModule(pooling),
        Dropout dropout => new DropoutModule(dropout, generator),
        Relu => Function(layer, x => nn.functional.relu(x[0])),
        LeakyRelu leaky => Function(layer, x => nn.functional.leaky_relu(x[0], leaky.Alpha)),
        Sigmoid => Function(layer, x => nn.functional.sigmoid(x[0])),
        Tanh => Function(layer, x => nn.functional.tanh(x[0])),
        Softmax => Function(layer, x => nn.functional.softmax(x[0], -1)),
        GlobalAvgPool => Function(layer, x => x[0].mean([2, 3], keepdim: true)),
        Flatten => Function(layer, x => x[0].flatten(1)),
        ElementwiseLayer elementwise => new BinaryModule(elementwise),
        ConstantOperation constant => new BinaryModule(constant, device),
        Concat => Function(layer, x => cat(x.ToArray(), 1)),
        ChannelSlice slice => Function(layer, x => x[0].narrow(1, slice.Start, slice.Count)),
        ChannelShuffle shuffle => Function(layer, x => Shuffle(x[0], shuffle.Groups)),
        Pad2d pad => Function(layer, x => nn.functional.pad(x[0], [pad.Padding.Left, pad.Padding.Right, pad.Padding.Top, pad.Padding.Bottom], global::TorchSharp.PaddingModes.Constant, pad.Value)),
        Clip clip => Function(layer, x => x[0].clamp(clip.Min, clip.Max)),
        HardSigmoid hard => Function(layer, x => (x[0] * hard.Alpha + hard.Beta).clamp(0, 1)),
        HardSwish => Function(layer, x => nn.functional.hardswish(x[0])),
        Silu => Function(layer, x => nn.functional.silu(x[0])),
        Elu elu => Function(layer, x => nn.functional.elu(x[0], elu.Alpha)),
        Gelu gelu => Function(layer, x => gelu.TanhApproximation ? TanhGelu(x[0]) : nn.functional.gelu(x[0])),
        _ => throw new NotSupportedException(
            $"Layer '{layer.Name}' ({layer.GetType().Name}) has no TorchSharp conversion; the TorchSharp backend supports {string.Join(", ", SupportedTypes.Select(t => t.Name))}."),
    };

    private static Tensor TanhGelu(Tensor x) => 0.5 * x * (1 + (Math.Sqrt(2 / Math.PI) * (x + (0.044715 * x * x * x))).tanh());

    // Output channel c = j·groups + g takes input channel g·(channels / groups) + j, as the managed layer.
    private static Tensor Shuffle(Tensor x, long groups)
    {
        long[] shape = x.shape;
        long[] grouped = [shape[0], groups, shape[1] / groups, .. shape[2..]];
        return x.view(grouped).transpose(1, 2).reshape(shape);
    }

    private static FunctionModule Function(Layer layer, Func<IReadOnlyList<Tensor>, Tensor> function) => new(layer, function);
}
