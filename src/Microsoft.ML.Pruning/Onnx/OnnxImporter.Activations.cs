using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>The element-wise activations (Relu, Sigmoid and SiLU, Tanh, LeakyRelu, Clip, HardSigmoid, HardSwish, Elu, Gelu) and Softmax of <see cref="OnnxImporter"/>.</summary>
internal sealed partial class OnnxImporter
{
    private void ImportActivation(NodeProto node, Func<string, Layer> create)
    {
        var x = Data(node, 0, "input X");
        AddLayer(node, create(LayerName(node)), x.Node);
    }

    /// <summary>Imports Sigmoid, fused with a following Mul(x, Sigmoid(x)) into one <see cref="Silu"/> when that Mul is its only reader.</summary>
    private void ImportSigmoid(NodeProto node)
    {
        var x = Data(node, 0, "input X");
        if (node.Output.Count == 1 && OnlyReader(node.Output[0]) is { OpType: "Mul", Input.Count: 2, Output.Count: 1 } mul
            && string.IsNullOrEmpty(mul.Domain) && mul.Output[0].Length > 0
            && (mul.Input[0] == node.Input[0] || mul.Input[1] == node.Input[0]) && mul.Input[0] != mul.Input[1])
        {
            _fused.Add(mul);
            int index = _network.Add(new Silu(LayerName(mul)), x.Node);
            var value = new NodeOutputValue(index, _network.Nodes[index].OutputShape);
            _values[node.Output[0]] = value;
            _values[mul.Output[0]] = value;
            return;
        }

        AddLayer(node, new Sigmoid(LayerName(node)), x.Node);
    }

    /// <summary>Imports Clip: bounds as attributes before opset 11, as optional constant inputs from it.</summary>
    private void ImportClip(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var x = Data(node, 0, "input");
        float min = float.NegativeInfinity, max = float.PositiveInfinity;
        if (_opset < 11)
        {
            min = attributes.GetFloat("min", float.MinValue);
            max = attributes.GetFloat("max", float.MaxValue);
        }
        else
        {
            min = OptionalConstant(node, 1, "min") is { } low ? Scalar(low, "min") : min;
            max = OptionalConstant(node, 2, "max") is { } high ? Scalar(high, "max") : max;
        }

        AddLayer(node, new Clip(min, max, LayerName(node)), x.Node);
    }

    private void ImportHardSigmoid(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var x = Data(node, 0, "input X");
        AddLayer(node, new HardSigmoid(attributes.GetFloat("alpha", 0.2f), attributes.GetFloat("beta", 0.5f), LayerName(node)), x.Node);
    }

    private void ImportElu(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var x = Data(node, 0, "input X");
        AddLayer(node, new Elu(attributes.GetFloat("alpha", 1f), LayerName(node)), x.Node);
    }

    private void ImportGelu(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var x = Data(node, 0, "input X");
        string approximate = attributes.GetString("approximate", "none");
        if (approximate is not ("none" or "tanh"))
        {
            throw Fail($"approximate '{approximate}' is not one of none, tanh.");
        }

        AddLayer(node, new Gelu(approximate == "tanh", LayerName(node)), x.Node);
    }

    private float Scalar(OnnxTensor tensor, string role)
    {
        var values = tensor.Floats(role, r => Fail(r));
        return values.Length == 1 ? values[0] : throw Fail($"{role} has shape {tensor.FormatDims()}; a scalar is expected.");
    }

    private void ImportLeakyRelu(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var x = Data(node, 0, "input X");
        AddLayer(node, new LeakyRelu(attributes.GetFloat("alpha", 0.01f), LayerName(node)), x.Node);
    }

    /// <summary>
    /// Imports Softmax over the last dimension. From opset 13 the axis must be the last; before, Softmax flattens the
    /// dimensions from the axis on (default 1), which equals the last-dimension softmax when the dimensions between are 1.
    /// </summary>
    private void ImportSoftmax(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var x = Data(node, 0, "input X");
        int rank = x.Shape.Length + 1;
        long axis = attributes.GetInt64("axis", _opset >= 13 ? -1 : 1);
        long normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 1 || normalized >= rank)
        {
            throw Fail($"axis {axis} is not supported for an input of rank {rank}; the softmax must run over the last dimension, not the batch.");
        }

        bool lastOnly = _opset >= 13
            ? normalized == rank - 1
            : x.Shape.AsSpan((int)normalized - 1, rank - 1 - (int)normalized).IndexOfAnyExcept(1) < 0;
        if (!lastOnly)
        {
            throw Fail(_opset >= 13
                ? $"axis {axis} is not the last dimension of the rank-{rank} input; only the last is supported."
                : $"axis {axis} (opset {_opset}) flattens dimensions [{string.Join(", ", x.Shape.Skip((int)normalized - 1))}] together; only a softmax equal to one over the last dimension is supported.");
        }

        AddLayer(node, new Softmax(LayerName(node)), x.Node);
    }
}
