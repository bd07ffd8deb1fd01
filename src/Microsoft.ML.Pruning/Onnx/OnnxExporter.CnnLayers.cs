using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx.Proto;
using Microsoft.ML.Pruning.Tensors;
using static Microsoft.ML.Pruning.Onnx.OnnxProtoFactory;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// The export of the CNN-family layers, each to the operators the importer reads back: Concat, Sub/Mul/Div (and Add)
/// with broadcasting, an operation against a constant initializer, Clip, HardSigmoid, HardSwish, Sigmoid-Mul (SiLU),
/// Elu, Gelu, Pad, Reshape-Transpose-Reshape (channel shuffle) and Slice (channel slice).
/// </summary>
internal sealed partial class OnnxExporter
{
    private int _opset = OnnxModel.OpsetVersion;

    /// <summary>Returns the nodes of a CNN-family layer, or <see langword="null"/> for the other layers.</summary>
    private NodeProto[]? ConvertCnnLayer(NetworkNode node, string[] inputs, string output)
    {
        var layer = node.Layer;
        string name = layer.Name;
        switch (layer)
        {
            case Concat:
                return [Node("Concat", name, inputs, output, Int("axis", 1))];
            case Subtract or Multiply or Divide:
                return [Node(OperatorOf(((ElementwiseLayer)layer).Operation), name, inputs, output)];
            case ConstantOperation constant:
                string value = Unique($"{name}.constant");
                _graph.Initializer.Add(FloatTensor(value, constant.Constant.Value));
                return [Node(OperatorOf(constant.Operation), name, constant.ConstantFirst ? [value, inputs[0]] : [inputs[0], value], output)];
            case Clip clip:
                string min = float.IsNegativeInfinity(clip.Min) ? string.Empty : Scalar($"{name}.min", clip.Min);
                string max = float.IsPositiveInfinity(clip.Max) ? string.Empty : Scalar($"{name}.max", clip.Max);
                return [Node("Clip", name, max.Length == 0 ? [inputs[0], min] : [inputs[0], min, max], output)];
            case HardSigmoid hard:
                return [Node("HardSigmoid", name, inputs, output, Float("alpha", hard.Alpha), Float("beta", hard.Beta))];
            case HardSwish:
                _opset = Math.Max(_opset, 14);
                return [Node("HardSwish", name, inputs, output)];
            case Silu:
                string sigmoid = Unique($"{name}.sigmoid");
                _graph.ValueInfo.Add(BatchValue(sigmoid, node.OutputShape));
                return [Node("Sigmoid", sigmoid, inputs, sigmoid), Node("Mul", name, [inputs[0], sigmoid], output)];
            case Elu elu:
                return [Node("Elu", name, inputs, output, Float("alpha", elu.Alpha))];
            case Gelu gelu:
                _opset = Math.Max(_opset, 20);
                return [Node("Gelu", name, inputs, output, String("approximate", gelu.TanhApproximation ? "tanh" : "none"))];
            case Pad2d pad:
                string pads = Unique($"{name}.pads");
                var (top, left, bottom, right) = pad.Padding;
                _graph.Initializer.Add(Int64Tensor(pads, 0, 0, top, left, 0, 0, bottom, right));
                return [Node("Pad", name, [inputs[0], pads, Scalar($"{name}.value", pad.Value)], output, String("mode", "constant"))];
            case ChannelShuffle shuffle:
                return ChannelShuffle(shuffle, node.OutputShape, inputs[0], output);
            case ChannelSlice slice:
                string starts = Unique($"{name}.starts"), ends = Unique($"{name}.ends"), axes = Unique($"{name}.axes");
                _graph.Initializer.Add(Int64Tensor(starts, slice.Start));
                _graph.Initializer.Add(Int64Tensor(ends, slice.Start + slice.Count));
                _graph.Initializer.Add(Int64Tensor(axes, 1));
                return [Node("Slice", name, [inputs[0], starts, ends, axes], output)];
            default:
                return null;
        }
    }

    private NodeProto[] ChannelShuffle(ChannelShuffle shuffle, int[] shape, string input, string output)
    {
        string name = shuffle.Name;
        int groups = shuffle.Groups, channels = shape[0];
        long[] spatial = shape.Skip(1).Select(d => (long)d).ToArray();
        string grouped = Unique($"{name}.grouped_shape"), restored = Unique($"{name}.shape");
        _graph.Initializer.Add(Int64Tensor(grouped, [0, groups, channels / groups, .. spatial]));
        _graph.Initializer.Add(Int64Tensor(restored, [0, channels, .. spatial]));
        string reshaped = Unique($"{name}.grouped"), transposed = Unique($"{name}.transposed");
        var perm = new[] { 0, 2, 1 }.Concat(Enumerable.Range(3, spatial.Length)).ToArray();
        return
        [
            Node("Reshape", reshaped, [input, grouped], reshaped),
            Node("Transpose", transposed, [reshaped], transposed, Ints("perm", perm)),
            Node("Reshape", name, [transposed, restored], output),
        ];
    }

    private string Scalar(string name, float value)
    {
        string unique = Unique(name);
        _graph.Initializer.Add(FloatScalar(unique, value));
        return unique;
    }

    private static string OperatorOf(BinaryOperation operation) => operation switch
    {
        BinaryOperation.Add => "Add",
        BinaryOperation.Subtract => "Sub",
        BinaryOperation.Multiply => "Mul",
        _ => "Div",
    };

    private static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(value) };
}
