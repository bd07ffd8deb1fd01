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
        typeof(Networks.Add),
    ];

    /// <summary>Creates the twin of <paramref name="layer"/>, copying its parameters to <paramref name="device"/>.</summary>
    /// <param name="layer">The managed layer.</param>
    /// <param name="device">The device.</param>
    /// <param name="generator">The random source of dropout masks, on <paramref name="device"/>.</param>
    /// <returns>The twin.</returns>
    /// <exception cref="NotSupportedException">The layer kind has no TorchSharp conversion; the message names the layer.</exception>
    public static TorchLayer Create(Layer layer, Device device, Generator generator) => layer switch
    {
        Dense dense => new DenseModule(dense, device),
        Conv2d convolution => new ConvolutionModule(convolution, device),
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
        Networks.Add => Function(layer, x => x[0] + x[1]),
        _ => throw new NotSupportedException(
            $"Layer '{layer.Name}' ({layer.GetType().Name}) has no TorchSharp conversion; the TorchSharp backend supports {string.Join(", ", SupportedTypes.Select(t => t.Name))}."),
    };

    private static FunctionModule Function(Layer layer, Func<IReadOnlyList<Tensor>, Tensor> function) => new(layer, function);
}
