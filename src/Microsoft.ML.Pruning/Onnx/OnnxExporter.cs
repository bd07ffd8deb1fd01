using System.Reflection;
using Google.Protobuf;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx.Proto;
using static Microsoft.ML.Pruning.Onnx.OnnxProtoFactory;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// Converts a <see cref="Network"/> into an ONNX model (IR 8, opset 13) with input <c>input</c>, output <c>output</c>,
/// a symbolic batch dimension and the static shape of every intermediate value. Dropout, the identity at inference,
/// is left out. The operator set is 13, raised to 14 when a <see cref="HardSwish"/> is present and to 20 for a
/// <see cref="Gelu"/> (the first versions that define those operators).
/// </summary>
internal sealed partial class OnnxExporter
{
    private readonly Network _network;
    private readonly GraphProto _graph = new() { Name = "network" };
    private readonly HashSet<string> _names = new(StringComparer.Ordinal) { OnnxModel.InputName, OnnxModel.OutputName };
    private readonly string[] _tensors;

    private OnnxExporter(Network network)
    {
        _network = network;
        _tensors = new string[network.Nodes.Count];
    }

    /// <summary>Converts a network.</summary>
    /// <param name="network">The network.</param>
    /// <returns>The model.</returns>
    /// <exception cref="NotSupportedException">A layer has no ONNX equivalent.</exception>
    public static ModelProto Export(Network network) => new OnnxExporter(network).Run();

    /// <summary>Serializes a model to a stream.</summary>
    /// <param name="model">The model.</param>
    /// <param name="stream">The writable stream; left open.</param>
    public static void Write(ModelProto model, Stream stream)
    {
        using var output = new CodedOutputStream(stream, leaveOpen: true);
        model.WriteTo(output);
        output.Flush();
    }

    private ModelProto Run()
    {
        _graph.Input.Add(BatchValue(OnnxModel.InputName, _network.InputShape));
        var nodes = _network.Nodes;
        for (int i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var inputs = node.Inputs.Select(j => j == NetworkNode.NetworkInput ? OnnxModel.InputName : _tensors[j]).ToArray();
            if (node.Layer is Dropout)
            {
                _tensors[i] = inputs[0];
                continue;
            }

            bool last = i == nodes.Count - 1;
            string output = last ? OnnxModel.OutputName : Unique(node.Layer.Name);
            if (ConvertCnnLayer(node, inputs, output) is { } nodesOfLayer)
            {
                _graph.Node.AddRange(nodesOfLayer);
            }
            else
            {
                _graph.Node.Add(Convert(node.Layer, inputs, output));
            }

            _tensors[i] = output;
            if (!last)
            {
                _graph.ValueInfo.Add(BatchValue(output, node.OutputShape));
            }
        }

        string result = nodes.Count == 0 ? OnnxModel.InputName : _tensors[^1];
        if (result != OnnxModel.OutputName)
        {
            _graph.Node.Add(Node("Identity", Unique("identity_output"), [result], OnnxModel.OutputName));
        }

        _graph.Output.Add(BatchValue(OnnxModel.OutputName, _network.OutputShape));
        var model = new ModelProto
        {
            IrVersion = OnnxModel.IrVersion,
            ProducerName = "Microsoft.ML.Pruning",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0",
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = _opset });
        return model;
    }

    private NodeProto Convert(Layer layer, string[] inputs, string output)
    {
        string name = layer.Name;
        switch (layer)
        {
            case Dense dense:
                return Node("Gemm", name, Weights(inputs, name, dense.Weight, dense.Bias), output, Int("transB", 1));
            case Conv2d conv:
                var (top, left, bottom, right) = conv.Padding;
                return Node("Conv", name, Weights(inputs, name, conv.Weight, conv.Bias), output,
                    Ints("kernel_shape", conv.Kernel.Height, conv.Kernel.Width), Ints("strides", conv.Stride.Height, conv.Stride.Width),
                    Ints("pads", top, left, bottom, right), Ints("dilations", conv.Dilation.Height, conv.Dilation.Width), Int("group", conv.Groups));
            case BatchNorm norm:
                return Node("BatchNormalization", name, Weights(inputs, name, norm.Scale, norm.Shift, norm.RunningMean, norm.RunningVariance), output,
                    Float("epsilon", norm.Epsilon), Float("momentum", 1f - norm.Momentum));
            case MaxPool2d pool:
                return Node("MaxPool", name, inputs, output, Window(pool));
            case AvgPool2d pool:
                return Node("AveragePool", name, inputs, output, [.. Window(pool), Int("count_include_pad", pool.CountIncludePad ? 1 : 0)]);
            case GlobalAvgPool:
                return Node("GlobalAveragePool", name, inputs, output);
            case Networks.Flatten:
                return Node("Flatten", name, inputs, output, Int("axis", 1));
            case Networks.Add:
                return Node("Add", name, inputs, output);
            case Relu:
                return Node("Relu", name, inputs, output);
            case LeakyRelu leaky:
                return Node("LeakyRelu", name, inputs, output, Float("alpha", leaky.Alpha));
            case Sigmoid:
                return Node("Sigmoid", name, inputs, output);
            case Tanh:
                return Node("Tanh", name, inputs, output);
            case Softmax:
                return Node("Softmax", name, inputs, output, Int("axis", -1));
            default:
                throw new NotSupportedException($"Layer '{name}' of type {layer.GetType().Name} has no ONNX equivalent.");
        }
    }

    /// <summary>Adds the parameters as initializers and returns the node's inputs: the data input, then the parameters.</summary>
    private string[] Weights(string[] inputs, string layerName, params Parameter?[] parameters)
    {
        var names = new List<string>(inputs);
        foreach (var parameter in parameters)
        {
            if (parameter is null)
            {
                continue;
            }

            string name = Unique($"{layerName}.{parameter.Name}");
            _graph.Initializer.Add(FloatTensor(name, parameter.Value));
            names.Add(name);
        }

        return [.. names];
    }

    private static AttributeProto[] Window(PoolingLayer pool)
    {
        var (top, left, bottom, right) = pool.Padding;
        return [Ints("kernel_shape", pool.Kernel.Height, pool.Kernel.Width), Ints("strides", pool.Stride.Height, pool.Stride.Width), Ints("pads", top, left, bottom, right),
            Int("ceil_mode", pool.CeilMode ? 1 : 0)];
    }

    private string Unique(string name)
    {
        string candidate = name;
        for (int suffix = 2; !_names.Add(candidate); suffix++)
        {
            candidate = $"{name}_{suffix}";
        }

        return candidate;
    }
}
