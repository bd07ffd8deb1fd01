namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// Builds a <see cref="Network"/> layer by layer, inferring each layer's input size from the one before and naming
/// layers by kind and position (<c>dense1</c>, <c>relu1</c>, <c>conv1</c>, ...).
/// </summary>
/// <example>
/// <code>
/// var mlp = new NetworkBuilder(784).Dense(300).Relu().Dense(100).Relu().Dense(10).Build(seed: 1);
/// var lenet = new NetworkBuilder(1, 28, 28)
///     .Conv2d(6, 5, padding: 2).Relu().MaxPool2d(2)
///     .Conv2d(16, 5).Relu().MaxPool2d(2)
///     .Flatten().Dense(120).Relu().Dense(84).Relu().Dense(10).Build(seed: 1);
/// </code>
/// </example>
public sealed class NetworkBuilder
{
    private readonly Network _network;
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private int _last = NetworkNode.NetworkInput;

    /// <summary>Starts a network with the given per-sample input shape.</summary>
    /// <param name="inputShape">The input shape, such as 784 or 1, 28, 28.</param>
    public NetworkBuilder(params int[] inputShape)
    {
        _network = new Network(inputShape);
    }

    /// <summary>Gets the per-sample shape that the next layer receives.</summary>
    public int[] CurrentShape => _last == NetworkNode.NetworkInput ? _network.InputShape : _network.Nodes[_last].OutputShape;

    /// <summary>Appends a fully connected layer.</summary>
    /// <param name="units">The output units.</param>
    /// <param name="useBias">Whether to add a bias.</param>
    /// <returns>This builder.</returns>
    public NetworkBuilder Dense(int units, bool useBias = true)
    {
        var shape = CurrentShape;
        if (shape.Length != 1)
        {
            throw new InvalidOperationException($"Dense needs a flat input but the current shape is [{string.Join(", ", shape)}]; add Flatten() first.");
        }

        return Append(new Dense(shape[0], units, useBias, NextName("dense")));
    }

    /// <summary>Appends a 2-D convolution with a square kernel.</summary>
    /// <param name="filters">The output channels.</param>
    /// <param name="kernelSize">The kernel size.</param>
    /// <param name="stride">The stride.</param>
    /// <param name="padding">The zero padding on every side.</param>
    /// <param name="groups">The channel groups (the input channels for depthwise).</param>
    /// <param name="useBias">Whether to add a bias.</param>
    /// <returns>This builder.</returns>
    public NetworkBuilder Conv2d(int filters, int kernelSize, int stride = 1, int padding = 0, int groups = 1, bool useBias = true)
    {
        var shape = CurrentShape;
        if (shape.Length != 3)
        {
            throw new InvalidOperationException($"Conv2d needs a [channels, height, width] input but the current shape is [{string.Join(", ", shape)}].");
        }

        return Append(new Conv2d(shape[0], filters, kernelSize, stride, padding, groups, useBias, NextName("conv")));
    }

    /// <summary>Appends batch normalization over the current channels (or features).</summary>
    /// <returns>This builder.</returns>
    public NetworkBuilder BatchNorm() => Append(new BatchNorm(CurrentShape[0], name: NextName("bn")));

    /// <summary>Appends a ReLU.</summary>
    /// <returns>This builder.</returns>
    public NetworkBuilder Relu() => Append(new Relu(NextName("relu")));

    /// <summary>Appends a sigmoid.</summary>
    /// <returns>This builder.</returns>
    public NetworkBuilder Sigmoid() => Append(new Sigmoid(NextName("sigmoid")));

    /// <summary>Appends a hyperbolic tangent.</summary>
    /// <returns>This builder.</returns>
    public NetworkBuilder Tanh() => Append(new Tanh(NextName("tanh")));

    /// <summary>Appends 2-D max pooling.</summary>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">The stride; defaults to the window size.</param>
    /// <param name="padding">The padding.</param>
    /// <returns>This builder.</returns>
    public NetworkBuilder MaxPool2d(int kernelSize, int? stride = null, int padding = 0) =>
        Append(new MaxPool2d(kernelSize, stride, padding, NextName("maxpool")));

    /// <summary>Appends 2-D average pooling.</summary>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">The stride; defaults to the window size.</param>
    /// <param name="padding">The padding.</param>
    /// <returns>This builder.</returns>
    public NetworkBuilder AvgPool2d(int kernelSize, int? stride = null, int padding = 0) =>
        Append(new AvgPool2d(kernelSize, stride, padding, name: NextName("avgpool")));

    /// <summary>Appends global average pooling.</summary>
    /// <returns>This builder.</returns>
    public NetworkBuilder GlobalAvgPool() => Append(new GlobalAvgPool(NextName("gap")));

    /// <summary>Appends a flatten.</summary>
    /// <returns>This builder.</returns>
    public NetworkBuilder Flatten() => Append(new Flatten(NextName("flatten")));

    /// <summary>Appends dropout.</summary>
    /// <param name="probability">The drop probability.</param>
    /// <returns>This builder.</returns>
    public NetworkBuilder Dropout(float probability = 0.5f) => Append(new Dropout(probability, name: NextName("dropout")));

    /// <summary>Appends a residual block: the block's output is added to its input, so it must keep the shape.</summary>
    /// <param name="block">Appends the block's layers to the builder it is given.</param>
    /// <returns>This builder.</returns>
    public NetworkBuilder Residual(Action<NetworkBuilder> block)
    {
        ArgumentNullException.ThrowIfNull(block);
        int start = _last;
        block(this);
        if (_last == start)
        {
            throw new InvalidOperationException("A residual block needs at least one layer.");
        }

        _last = _network.Add(new Add(NextName("add")), start, _last);
        return this;
    }

    /// <summary>Appends any layer fed by the previous one.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>This builder.</returns>
    public NetworkBuilder Append(Layer layer)
    {
        _last = _network.Add(layer, _last);
        return this;
    }

    /// <summary>Initializes every layer's parameters from the seed and returns the network.</summary>
    /// <param name="seed">The initialization seed.</param>
    /// <returns>The network.</returns>
    public Network Build(int seed = 0)
    {
        var random = new Random(seed);
        foreach (var node in _network.Nodes)
        {
            node.Layer.ResetParameters(random);
        }

        return _network;
    }

    private string NextName(string kind)
    {
        _counts[kind] = _counts.GetValueOrDefault(kind) + 1;
        return kind + _counts[kind];
    }
}
