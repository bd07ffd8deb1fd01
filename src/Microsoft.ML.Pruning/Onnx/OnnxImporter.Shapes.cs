using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>The shape operators of <see cref="OnnxImporter"/>: Flatten, Reshape (to [batch, features]) and Pad (of zeros).</summary>
internal sealed partial class OnnxImporter
{
    private void ImportFlatten(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var x = Data(node, 0, "input");
        long axis = attributes.GetInt64("axis", 1);
        if ((axis < 0 ? axis + x.Shape.Length + 1 : axis) != 1)
        {
            throw Fail($"axis {axis} is not supported; only axis 1 (keep the batch, flatten the rest) is.");
        }

        Flatten(node, x);
    }

    /// <summary>Imports a Reshape whose constant shape keeps the batch and flattens the rest (or keeps the shape).</summary>
    private void ImportReshape(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var x = Data(node, 0, "input data");
        var target = Constant(node, 1, "the shape").Integers("the shape", r => Fail(r));
        bool allowZero = attributes.GetInt64("allowzero", 0) != 0;
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

    /// <summary>Imports Pad when it pads nothing (PyTorch emits such Pads before AveragePool); other pads are rejected.</summary>
    private void ImportPad(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        string mode = attributes.GetString("mode", "constant");
        var x = Data(node, 0, "input data");
        long[] pads = _opset >= 11
            ? Constant(node, 1, "pads").Integers("pads", r => Fail(r))
            : attributes.GetInt64s("pads") ?? throw Fail("the pads attribute is missing.");
        if (pads.Any(p => p != 0))
        {
            throw Fail($"pads [{string.Join(", ", pads)}] ({mode} mode) are not supported; only a Pad that pads nothing is.");
        }

        Bind(node, x);
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
