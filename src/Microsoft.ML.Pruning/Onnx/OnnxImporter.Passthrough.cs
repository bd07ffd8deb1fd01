using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>The operators of <see cref="OnnxImporter"/> that add no computation at inference: Identity, Dropout and Constant.</summary>
internal sealed partial class OnnxImporter
{
    private void ImportIdentity(NodeProto node) => Bind(node, Resolve(InputName(node, 0, "input")));

    /// <summary>Imports Dropout (the identity at inference) as a <see cref="Dropout"/> layer, so that fine-tuning keeps it.</summary>
    private void ImportDropout(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var x = Data(node, 0, "input data");
        float ratio = attributes.GetFloat("ratio", 0.5f);
        if (_opset < 7 && attributes.GetInt64("is_test", 0) == 0 && ratio != 0f)
        {
            // Before opset 7, is_test=0 (the default) drops values at random, as training_mode=true does from opset 12.
            throw Fail($"is_test=0 (opset {_opset}; 0 is its default) with ratio {ratio} drops values at random; dropout is imported for inference only (is_test=1).");
        }

        if (_opset >= 12)
        {
            if (OptionalConstant(node, 1, "ratio") is { } r)
            {
                var values = r.Floats("ratio", reason => Fail(reason));
                ratio = values.Length == 1 ? values[0] : throw Fail($"ratio has shape {r.FormatDims()}; a scalar is expected.");
            }

            // In training mode a non-zero ratio drops values at random; with ratio 0 it is still the identity.
            if (OptionalConstant(node, 2, "training_mode") is { } t && t.Integers("training_mode", reason => Fail(reason)).Any(v => v != 0) && ratio != 0f)
            {
                throw Fail($"training_mode=true with ratio {ratio} drops values at random; dropout is imported for inference only.");
            }
        }

        AddLayer(node, new Dropout(ratio, name: LayerName(node)), x.Node);
    }

    private void ImportConstant(NodeProto node)
    {
        if (node.Output.Count > 0 && _values.ContainsKey(node.Output[0]))
        {
            return;
        }

        var attributes = new OnnxAttributes(node, r => Fail(r));
        OnnxTensor tensor;
        if (attributes.GetTensor("value") is { } value)
        {
            tensor = OnnxTensor.Read(value, r => Fail(r));
        }
        else if (attributes.Has("value_float"))
        {
            tensor = OnnxTensor.FromFloats([], [attributes.GetFloat("value_float", 0f)]);
        }
        else if (attributes.GetFloats("value_floats") is { } floats)
        {
            tensor = OnnxTensor.FromFloats([floats.Length], floats);
        }
        else if (attributes.Has("value_int"))
        {
            tensor = OnnxTensor.FromIntegers([], [attributes.GetInt64("value_int", 0)]);
        }
        else if (attributes.GetInt64s("value_ints") is { } integers)
        {
            tensor = OnnxTensor.FromIntegers([integers.Length], integers);
        }
        else
        {
            throw Fail("only the value, value_float(s) and value_int(s) attributes are supported (not sparse or string constants).");
        }

        Bind(node, new ConstantValue(tensor));
    }
}
