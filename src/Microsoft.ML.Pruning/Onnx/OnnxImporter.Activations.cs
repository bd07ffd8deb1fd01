using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>The element-wise activations and Softmax of <see cref="OnnxImporter"/>.</summary>
internal sealed partial class OnnxImporter
{
    private void ImportActivation(NodeProto node, Func<string, Layer> create)
    {
        var x = Data(node, 0, "input X");
        AddLayer(node, create(LayerName(node)), x.Node);
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
