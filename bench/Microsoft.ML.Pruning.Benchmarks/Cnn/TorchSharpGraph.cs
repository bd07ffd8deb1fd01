using Microsoft.ML.Pruning.Networks;
using TorchSharp;
using static TorchSharp.torch;
using TorchParameter = TorchSharp.Modules.Parameter;

namespace Microsoft.ML.Pruning.Benchmarks.Cnn;

/// <summary>
/// The raw TorchSharp peer: the same graph as a <see cref="Network"/> written directly against libtorch's functional
/// operators (<c>conv2d</c> with its own input gradient, <c>max_pool2d</c>, <c>hardtanh</c>, <c>silu</c>, ...) with its
/// parameters as leaf tensors, as a TorchSharp user would write it. It is not the library's TorchSharp backend, which
/// goes through <see cref="Training.Trainer"/>. The weights are copied once from the network.
/// </summary>
internal sealed class TorchSharpGraph : IDisposable
{
    private readonly List<(NetworkNode Node, Func<Tensor[], Tensor> Forward)> _nodes = [];
    private readonly List<TorchParameter> _parameters = [];

    public TorchSharpGraph(Network network)
    {
        foreach (var node in network.Nodes)
        {
            _nodes.Add((node, Operator(node.Layer)));
        }
    }

    /// <summary>Gets the trainable tensors.</summary>
    public IReadOnlyList<TorchParameter> Parameters => _parameters;

    /// <summary>Runs the graph on a batch.</summary>
    public Tensor Forward(Tensor input)
    {
        var outputs = new Tensor[_nodes.Count];
        for (int i = 0; i < _nodes.Count; i++)
        {
            var node = _nodes[i].Node;
            var inputs = node.Inputs.Select(s => s == NetworkNode.NetworkInput ? input : outputs[s]).ToArray();
            outputs[i] = _nodes[i].Forward(inputs);
        }

        return outputs[^1];
    }

    public void Dispose()
    {
        foreach (var parameter in _parameters)
        {
            parameter.Dispose();
        }
    }

    private Tensor Parameter(Networks.Parameter parameter)
    {
        var value = new TorchParameter(tensor(parameter.Value.Span.ToArray(), parameter.Value.Shape.Select(d => (long)d).ToArray()), requires_grad: true);
        value.DetachFromDisposeScope();
        _parameters.Add(value);
        return value;
    }

    private Func<Tensor[], Tensor> Operator(Layer layer)
    {
        switch (layer)
        {
            case Conv2d conv:
            {
                var weight = Parameter(conv.Weight);
                var bias = conv.Bias is null ? null : Parameter(conv.Bias);
                var (top, left, bottom, right) = conv.Padding;
                long[] stride = [conv.Stride.Height, conv.Stride.Width], dilation = [conv.Dilation.Height, conv.Dilation.Width];
                if (top == bottom && left == right)
                {
                    long[] padding = [top, left];
                    return x => nn.functional.conv2d(x[0], weight, bias, stride, padding, dilation, conv.Groups);
                }

                long[] explicitPadding = [left, right, top, bottom];
                return x => nn.functional.conv2d(nn.functional.pad(x[0], explicitPadding), weight, bias, stride, [0, 0], dilation, conv.Groups);
            }

            case Dense dense:
            {
                var weight = Parameter(dense.Weight);
                var bias = dense.Bias is null ? null : Parameter(dense.Bias);
                return x => nn.functional.linear(x[0], weight, bias);
            }

            case MaxPool2d pool:
            {
                var (top, left, bottom, right) = pool.Padding;
                if (top != bottom || left != right || pool.CeilMode)
                {
                    throw new NotSupportedException($"{layer.Name}: asymmetric or ceil-mode pooling is not in the benchmark's models.");
                }

                long[] kernel = [pool.Kernel.Height, pool.Kernel.Width], stride = [pool.Stride.Height, pool.Stride.Width], padding = [top, left];
                return x => nn.functional.max_pool2d(x[0], kernel, stride, padding);
            }

            case Relu:
                return x => nn.functional.relu(x[0]);
            case Clip clip:
                return x => nn.functional.hardtanh(x[0], clip.Min, clip.Max);
            case Silu:
                return x => nn.functional.silu(x[0]);
            case Sigmoid:
                return x => nn.functional.sigmoid(x[0]);
            case GlobalAvgPool:
                return x => nn.functional.adaptive_avg_pool2d(x[0], [1, 1]);
            case Flatten:
                return x => x[0].flatten(1);
            case Add:
                return x => x[0] + x[1];
            case Multiply:
                return x => x[0] * x[1];
            default:
                throw new NotSupportedException($"{layer.Name} ({layer.GetType().Name}) is not in the benchmark's models.");
        }
    }
}
