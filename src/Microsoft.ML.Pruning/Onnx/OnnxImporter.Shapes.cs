using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// The shape operators of <see cref="OnnxImporter"/>: Flatten, Reshape (to [batch, features], or a channel shuffle) and
/// Pad (constant mode, folded into a following Conv where exact, else <see cref="Pad2d"/>).
/// </summary>
internal sealed partial class OnnxImporter
{
    private void ImportFlatten(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var x = Data(node, 0, "input");
        long axis = attributes.GetInt64("axis", 1);
        long normalized = axis < 0 ? axis + x.Shape.Length + 1 : axis;

        // Any axis keeps the batch when the per-sample dimensions before it are all 1.
        if (normalized < 1 || normalized > x.Shape.Length || x.Shape.Take((int)normalized - 1).Any(d => d != 1))
        {
            throw Fail($"axis {axis} is not supported for input [batch, {string.Join(", ", x.Shape)}]; only axes that keep the batch and flatten the rest are (axis 1, or a later one after dimensions of 1).");
        }

        Flatten(node, x);
    }

    /// <summary>Imports a Reshape whose constant shape keeps the batch and flattens the rest (or keeps the shape).</summary>
    private void ImportReshape(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        if (Resolve(InputName(node, 0, "input data")) is ConstantValue constant)
        {
            Bind(node, FoldReshape(constant.FloatTensor, ReshapeTarget(node)));
            return;
        }

        var x = Data(node, 0, "input data");
        var target = ReshapeTarget(node);
        bool allowZero = attributes.GetInt64("allowzero", 0) != 0;
        if (TryChannelShuffle(node, x, target))
        {
            return;
        }

        long perSample = x.Shape.Aggregate(1L, (p, d) => p * d);
        string described = $"[{string.Join(", ", target)}]";
        if (target.Length < 2)
        {
            throw Fail($"the shape {described} does not keep the batch dimension; only reshapes to [batch, features] are supported.");
        }

        // Resolve 0 (copy) and -1 (infer) in the per-sample part; the batch part is checked separately.
        var dims = new long[target.Length];
        int infer = -1;
        for (int i = 0; i < target.Length; i++)
        {
            long t = target[i];
            if (t == 0 && !allowZero)
            {
                dims[i] = i == 0 ? 0 : i <= x.Shape.Length ? x.Shape[i - 1] : throw Fail($"the shape {described} copies dimension {i}, which the input does not have.");
            }
            else if (t == -1 && infer < 0)
            {
                infer = i;
            }
            else if (t < 1)
            {
                throw Fail($"the shape {described} has an invalid dimension {t}.");
            }
            else
            {
                dims[i] = t;
            }
        }

        // The product of the known per-sample dimensions; stops early (and stays above perSample) once too large.
        long known = 1;
        for (int i = 1; i < dims.Length && known <= perSample; i++)
        {
            known = i == infer ? known : dims[i] > perSample ? long.MaxValue : known * dims[i];
        }

        bool batchKept = infer == 0 ? known == perSample : target[0] == 0 || (_batchSize is { } batch && target[0] == batch);
        bool sizeKept = infer > 0 ? known <= perSample && perSample % known == 0 : known == perSample;
        if (!batchKept || !sizeKept)
        {
            throw Fail($"the shape {described} does not keep the batch dimension of input [batch, {string.Join(", ", x.Shape)}]; only reshapes to [batch, features] are supported.");
        }

        if (infer > 0)
        {
            dims[infer] = perSample / known;
        }

        var sample = dims.Skip(1).ToArray();
        if (sample.AsSpan().SequenceEqual(x.Shape.Select(d => (long)d).ToArray()))
        {
            Bind(node, x);
        }
        else if (sample.Length == 1)
        {
            Flatten(node, x);
        }
        else
        {
            throw Fail($"the shape {described} reshapes input [batch, {string.Join(", ", x.Shape)}] to [batch, {string.Join(", ", sample)}]; only reshapes to [batch, features] are supported.");
        }
    }

    /// <summary>
    /// Imports Pad in constant mode on the spatial axes: nothing when it pads nothing, folded into the only reader's
    /// padding when that is a Conv (zero padding, exact), else a <see cref="Pad2d"/> layer.
    /// </summary>
    private void ImportPad(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        string mode = attributes.GetString("mode", "constant");
        var x = Data(node, 0, "input data");
        // Pad-1 names its attribute paddings, Pad-2 pads; both in the order of the input from opset 11.
        string padsAttribute = _opset < 2 ? "paddings" : "pads";
        long[] pads = _opset >= 11
            ? Constant(node, 1, "pads").Integers("pads", r => Fail(r))
            : attributes.GetInt64s(padsAttribute) ?? throw Fail($"the {padsAttribute} attribute is missing (opset {_opset}).");
        if (pads.All(p => p == 0))
        {
            Bind(node, x);
            return;
        }

        float value = _opset >= 11
            ? OptionalConstant(node, 2, "constant_value") is { } c ? Scalar(c, "constant_value") : 0f
            : attributes.GetFloat("value", 0f);
        int rank = x.Shape.Length + 1;
        if (mode != "constant" || rank != 4 || pads.Length != 8 || pads.Any(p => p < 0) || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0
            || pads.Any(p => p > OnnxWindow.MaxValue))
        {
            throw Fail($"pads [{string.Join(", ", pads)}] ({mode} mode) are not supported; only non-negative constant padding of the height and width of [batch, channels, height, width] is.");
        }

        var padding = ((int)pads[2], (int)pads[3], (int)pads[6], (int)pads[7]);
        CheckActivation([x.Shape[0], x.Shape[1] + padding.Item1 + padding.Item3, x.Shape[2] + padding.Item2 + padding.Item4]);
        if (value == 0f && node.Output.Count == 1 && OnlyReader(node.Output[0]) is { OpType: "Conv" } conv && conv.Input[0] == node.Output[0]
            && new OnnxAttributes(conv, r => Fail(r)).GetString("auto_pad", "NOTSET") is "NOTSET" or "")
        {
            _extraPadding[conv] = padding;
            _values[node.Output[0]] = new PaddedValue(x, padding);
            return;
        }

        AddLayer(node, new Pad2d(padding, value, LayerName(node)), x.Node);
    }

    /// <summary>Returns Reshape's target shape: a constant, or shape arithmetic whose batch entries become 0 (copy).</summary>
    private long[] ReshapeTarget(NodeProto node)
    {
        if (_opset < 5)
        {
            // Reshape-1 takes the shape as an attribute.
            return new OnnxAttributes(node, r => Fail(r)).GetInt64s("shape") ?? throw Fail($"the shape attribute is missing (opset {_opset}).");
        }

        var value = Resolve(InputName(node, 1, "the shape"));
        var (values, batch, _) = Integers(value, "the shape");
        var target = (long[])values.Clone();
        for (int i = 0; i < target.Length; i++)
        {
            if (batch[i])
            {
                target[i] = i == 0 ? 0 : throw Fail($"the shape puts the batch size at position {i}; only position 0 keeps the batch.");
            }
        }

        return target;
    }

    /// <summary>
    /// Recognizes a channel shuffle: this Reshape to [batch, g, C/g, H, W], read only by a Transpose with perm
    /// [0, 2, 1, 3, 4], read only by a Reshape back to [batch, C, H, W]; the three become one <see cref="ChannelShuffle"/>.
    /// </summary>
    private bool TryChannelShuffle(NodeProto node, NodeOutputValue x, long[] target)
    {
        if (x.Shape.Length != 3 || target.Length != 5 || node.Output.Count != 1
            || OnlyReader(node.Output[0]) is not { OpType: "Transpose", Output.Count: 1 } transpose
            || OnlyReader(transpose.Output[0]) is not { OpType: "Reshape" } back || back.Input[0] != transpose.Output[0])
        {
            return false;
        }

        var perm = new OnnxAttributes(transpose, r => Fail(r)).GetInt64s("perm");
        int channels = x.Shape[0];
        long groups = target[1];
        if (perm is null || !perm.SequenceEqual([0L, 2, 1, 3, 4]) || groups < 1 || channels % groups != 0
            || target[2] != channels / groups || target[3] != x.Shape[1] || target[4] != x.Shape[2])
        {
            return false;
        }

        var outer = _current;
        _current = back;
        var final = ReshapeTarget(back);
        _current = outer;
        bool restores = final.Length == 4 && (final[1] == channels || final[1] == -1) && final[2] == x.Shape[1] && final[3] == x.Shape[2];
        if (!restores)
        {
            return false;
        }

        _fused.Add(transpose);
        _fused.Add(back);
        int index = _network.Add(new ChannelShuffle((int)groups, LayerName(node)), x.Node);
        var value = new NodeOutputValue(index, _network.Nodes[index].OutputShape);
        _values[node.Output[0]] = value;
        _values[transpose.Output[0]] = value;
        _values[back.Output[0]] = value;
        return true;
    }

    private void Flatten(NodeProto node, NodeOutputValue x)
    {
        if (x.Shape.Length == 1)
        {
            Bind(node, x);
        }
        else
        {
            AddLayer(node, new Networks.Flatten(LayerName(node)), x.Node);
        }
    }
}
