using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>The pooling operators of <see cref="OnnxImporter"/>: MaxPool, AveragePool and GlobalAveragePool.</summary>
internal sealed partial class OnnxImporter
{
    private void ImportPool(NodeProto node, bool max)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var x = SpatialData(node);
        var window = OnnxWindow.Read(attributes, x.Shape[1], x.Shape[2], kernel: null, r => Fail(r));
        bool ceil = attributes.GetInt64("ceil_mode", 0) != 0;
        var p = window.Padding;
        if (p.Top >= window.Kernel.Height || p.Bottom >= window.Kernel.Height || p.Left >= window.Kernel.Width || p.Right >= window.Kernel.Width)
        {
            throw Fail($"pads {p} must be smaller than the {window.Kernel.Height}x{window.Kernel.Width} window.");
        }

        Layer layer = max
            ? new MaxPool2d(window.Kernel, window.Stride, window.Padding, ceil, LayerName(node))
            : new AvgPool2d(window.Kernel, window.Stride, window.Padding, attributes.GetInt64("count_include_pad", 0) != 0, ceil, LayerName(node));
        AddLayer(node, layer, x.Node);
    }

    private void ImportGlobalAveragePool(NodeProto node)
    {
        var x = SpatialData(node);
        AddLayer(node, new GlobalAvgPool(LayerName(node)), x.Node);
    }
}
