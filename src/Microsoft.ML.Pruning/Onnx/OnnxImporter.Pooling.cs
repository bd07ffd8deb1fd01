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
        if (attributes.GetInt64("ceil_mode", 0) != 0)
        {
            var (k, s, p) = (window.Kernel, window.Stride, window.Padding);
            bool same = OnnxWindow.OutputSize(x.Shape[1], k.Height, s.Height, p.Top + p.Bottom, ceil: true) == OnnxWindow.OutputSize(x.Shape[1], k.Height, s.Height, p.Top + p.Bottom, ceil: false)
                && OnnxWindow.OutputSize(x.Shape[2], k.Width, s.Width, p.Left + p.Right, ceil: true) == OnnxWindow.OutputSize(x.Shape[2], k.Width, s.Width, p.Left + p.Right, ceil: false);
            if (!same)
            {
                throw Fail("ceil_mode=1 gives a larger output than floor rounding for this input size; only floor rounding is supported.");
            }
        }

        Layer layer = max
            ? new MaxPool2d(window.Kernel, window.Stride, window.Padding, LayerName(node))
            : new AvgPool2d(window.Kernel, window.Stride, window.Padding, attributes.GetInt64("count_include_pad", 0) != 0, LayerName(node));
        AddLayer(node, layer, x.Node);
    }

    private void ImportGlobalAveragePool(NodeProto node)
    {
        var x = SpatialData(node);
        AddLayer(node, new GlobalAvgPool(LayerName(node)), x.Node);
    }
}
