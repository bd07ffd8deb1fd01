using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>The Conv operator of <see cref="OnnxImporter"/>: 2-D convolutions, including grouped and depthwise ones.</summary>
internal sealed partial class OnnxImporter
{
    private void ImportConv(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var extra = _extraPadding.GetValueOrDefault(node);
        var x = Resolve(InputName(node, 0, "input X")) is PaddedValue padded ? padded.Source : SpatialData(node);
        var w = Constant(node, 1, "weight W");
        var weight = w.Floats("weight W", r => Fail(r));
        if (w.Dims.Length != 4)
        {
            throw Fail($"weight W has shape {w.FormatDims()}; a 2-D convolution needs [filters, channels / group, kernel height, kernel width].");
        }

        int group = attributes.GetInt("group", 1);
        int channels = x.Shape[0], filters = w.Dims[0];
        if (group < 1 || channels % group != 0 || filters % group != 0 || (long)w.Dims[1] * group != channels)
        {
            throw Fail($"group {group} does not fit {channels} input channels and weight W of shape {w.FormatDims()}.");
        }

        var window = OnnxWindow.Read(attributes, x.Shape[1], x.Shape[2], (w.Dims[2], w.Dims[3]), r => Fail(r), allowDilation: true, extraPadding: extra);
        float[]? bias = null;
        if (OptionalConstant(node, 2, "bias B") is { } b)
        {
            if (b.Dims.Length != 1 || b.Dims[0] != filters)
            {
                throw Fail($"bias B has shape {b.FormatDims()}; expected [{filters}].");
            }

            bias = b.Floats("bias B", r => Fail(r));
        }

        NodeProto? biasAdd = null;
        if (bias is null && FoldableBiasAdd(node, filters, spatialRank: 2) is { } fold)
        {
            (bias, biasAdd) = fold;
        }

        var conv = new Conv2d(channels, filters, window.Kernel, window.Stride, window.Padding, window.Dilation, group, bias is not null, LayerName(node));
        CheckConvolution(conv, x.Shape);
        weight.CopyTo(conv.Weight.Value.Span);
        bias?.CopyTo(conv.Bias!.Value.Span);
        AddLayer(node, conv, x.Node);
        if (biasAdd is not null)
        {
            _values[biasAdd.Output[0]] = _values[node.Output[0]];
        }
    }

    /// <summary>Returns input 0 as a computed value of per-sample shape [channels, height, width].</summary>
    private NodeOutputValue SpatialData(NodeProto node)
    {
        var x = Data(node, 0, "input X");
        if (x.Shape.Length != 3)
        {
            throw Fail($"input X has per-sample shape [{string.Join(", ", x.Shape)}]; only 2-D inputs [batch, channels, height, width] are supported.");
        }

        return x;
    }
}
