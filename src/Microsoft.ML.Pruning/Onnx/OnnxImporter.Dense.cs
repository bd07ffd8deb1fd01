using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>The fully connected operators of <see cref="OnnxImporter"/>: Gemm and MatMul, with a following bias Add folded in.</summary>
internal sealed partial class OnnxImporter
{
    private void ImportGemm(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        float alpha = attributes.GetFloat("alpha", 1f);
        float beta = attributes.GetFloat("beta", 1f);
        if (attributes.GetInt64("transA", 0) != 0)
        {
            throw Fail("transA=1 is not supported: input A is the batch of samples, [batch, features], which cannot be transposed.");
        }

        bool transB = attributes.GetInt64("transB", 0) != 0;
        var x = FlatData(node, "input A");
        var b = Constant(node, 1, "weight B");
        var (weight, units) = DenseWeight(b, transposed: transB, x.Shape[0], "weight B");
        if (alpha != 1f)
        {
            for (int i = 0; i < weight.Length; i++)
            {
                weight[i] *= alpha;
            }
        }

        float[]? bias = null;
        if (OptionalConstant(node, 2, "bias C") is { } c && beta != 0f)
        {
            bias = BroadcastBias(c, units, spatialRank: 0)
                ?? throw Fail($"bias C of shape {c.FormatDims()} does not broadcast per unit over the output [batch, {units}]; only [{units}], [1, {units}] or a scalar are supported.");
            for (int i = 0; i < bias.Length; i++)
            {
                bias[i] *= beta;
            }
        }

        AddDense(node, x, weight, units, bias);
    }

    private void ImportMatMul(NodeProto node)
    {
        var x = FlatData(node, "input A");
        var b = Constant(node, 1, "weight B");
        var (weight, units) = DenseWeight(b, transposed: false, x.Shape[0], "weight B");
        AddDense(node, x, weight, units, bias: null);
    }

    /// <summary>Appends a Dense layer, folding into its bias a following Add of a constant when there is no bias.</summary>
    private void AddDense(NodeProto node, NodeOutputValue x, float[] weight, int units, float[]? bias)
    {
        NodeProto? biasAdd = null;
        if (bias is null && FoldableBiasAdd(node, units, spatialRank: 0) is { } fold)
        {
            (bias, biasAdd) = fold;
        }

        var dense = new Dense(x.Shape[0], units, bias is not null, LayerName(node));
        weight.CopyTo(dense.Weight.Value.Span);
        bias?.CopyTo(dense.Bias!.Value.Span);
        AddLayer(node, dense, x.Node);
        if (biasAdd is not null)
        {
            _values[biasAdd.Output[0]] = _values[node.Output[0]];
        }
    }

    /// <summary>
    /// Finds an Add of a per-unit constant that is the only reader of the node's output, marks it as folded and returns
    /// the bias; returns <see langword="null"/> when there is none.
    /// </summary>
    private (float[] Bias, NodeProto Add)? FoldableBiasAdd(NodeProto node, int units, int spatialRank)
    {
        if (node.Output.Count == 0 || OnlyReader(node.Output[0]) is not { OpType: "Add", Input.Count: 2, Output.Count: 1 } add
            || !string.IsNullOrEmpty(add.Domain) || add.Output[0].Length == 0)
        {
            return null;
        }

        string other = add.Input[0] == node.Output[0] ? add.Input[1] : add.Input[0];
        bool constant = _values.GetValueOrDefault(other) is ConstantValue || _initializers.ContainsKey(other)
            || (_producers.TryGetValue(other, out var producer) && producer.OpType == "Constant");
        if (other == node.Output[0] || !constant)
        {
            return null;
        }

        var outer = _current;
        _current = add;
        var bias = Resolve(other) is ConstantValue constantValue && (other == add.Input[1] || LegacyBroadcastAxis(add, constantValue.FloatTensor.Dims.Length, spatialRank + 2) is null)
            ? BroadcastBias(other == add.Input[1] ? LegacyBroadcast(add, constantValue.FloatTensor, spatialRank + 2) : constantValue.FloatTensor, units, spatialRank)
            : null;
        _current = outer;
        if (bias is null)
        {
            return null;
        }

        _fused.Add(add);
        return (bias, add);
    }

    /// <summary>Returns the constant as one value per unit when it broadcasts so over [1, units, 1...], else <see langword="null"/>.</summary>
    private float[]? BroadcastBias(OnnxTensor tensor, int units, int spatialRank)
    {
        var values = tensor.Floats("the bias", r => Fail(r));
        var target = new int[spatialRank + 2];
        Array.Fill(target, 1);
        target[1] = units;
        if (tensor.Dims.Length > target.Length)
        {
            return null;
        }

        bool perUnit = false;
        for (int i = 0; i < tensor.Dims.Length; i++)
        {
            int d = tensor.Dims[^(i + 1)];
            int t = target[^(i + 1)];
            if (d == t && t != 1)
            {
                perUnit = true;
            }
            else if (d != 1)
            {
                return null;
            }
        }

        return perUnit ? (float[])values.Clone() : Enumerable.Repeat(values[0], units).ToArray();
    }

    /// <summary>Reads a weight [inputs, units] (or [units, inputs] when transposed) as Dense's [units, inputs].</summary>
    private (float[] Weight, int Units) DenseWeight(OnnxTensor b, bool transposed, int inputs, string role)
    {
        var values = b.Floats(role, r => Fail(r));
        if (b.Dims.Length != 2 || b.Dims[transposed ? 1 : 0] != inputs)
        {
            throw Fail($"{role} has shape {b.FormatDims()}; expected [{(transposed ? "units, " + inputs : inputs + ", units")}] for {inputs} input features.");
        }

        if (transposed)
        {
            return ((float[])values.Clone(), b.Dims[0]);
        }

        int units = b.Dims[1];
        var weight = new float[values.Length];
        for (int k = 0; k < inputs; k++)
        {
            for (int n = 0; n < units; n++)
            {
                weight[(n * inputs) + k] = values[(k * units) + n];
            }
        }

        return (weight, units);
    }

    /// <summary>Returns input 0 as a computed value of per-sample rank 1, [batch, features].</summary>
    private NodeOutputValue FlatData(NodeProto node, string role)
    {
        var x = Data(node, 0, role);
        if (x.Shape.Length != 1)
        {
            throw Fail($"{role} must be [batch, features], got per-sample shape [{string.Join(", ", x.Shape)}]; flatten it first.");
        }

        return x;
    }
}
