using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx.Proto;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// The element-wise binary operators of <see cref="OnnxImporter"/>: Add, Sub, Mul and Div between feature maps
/// (broadcasting layers), against a float constant (<see cref="ConstantOperation"/>), or between constants (folded:
/// float values, and the int64 arithmetic of shape subgraphs).
/// </summary>
internal sealed partial class OnnxImporter
{
    private void ImportBinary(NodeProto node, BinaryOperation operation)
    {
        if (node.Input.Count != 2)
        {
            throw Fail($"{node.OpType} takes 2 inputs, got {node.Input.Count}.");
        }

        var left = Resolve(InputName(node, 0, "input A"));
        var right = Resolve(InputName(node, 1, "input B"));
        switch (left, right)
        {
            case (NodeOutputValue a, NodeOutputValue b):
                if (a.Shape.Length != b.Shape.Length)
                {
                    throw Fail($"the operands have per-sample shapes [{string.Join(", ", a.Shape)}] and [{string.Join(", ", b.Shape)}] of different ranks; broadcasting between feature maps needs equal ranks (both carry the batch).");
                }

                Layer layer = operation switch
                {
                    BinaryOperation.Add => new Networks.Add(LayerName(node)),
                    BinaryOperation.Subtract => new Subtract(LayerName(node)),
                    BinaryOperation.Multiply => new Multiply(LayerName(node)),
                    _ => new Divide(LayerName(node)),
                };
                AddLayer(node, layer, a.Node, b.Node);
                return;
            case (NodeOutputValue a, ConstantValue c):
                if (operation == BinaryOperation.Divide && TryFuseGelu(node, a, c.FloatTensor))
                {
                    return;
                }

                AddConstantOperation(node, operation, a, LegacyBroadcast(node, c.FloatTensor, a.Shape.Length + 1), constantFirst: false);
                return;
            case (ConstantValue c, NodeOutputValue b):
                if (LegacyBroadcastAxis(node, c.FloatTensor.Dims.Length, b.Shape.Length + 1) is not null)
                {
                    throw Fail($"broadcast=1 (opset {_opset}) broadcasts input B, here the feature map, to the constant input A; only a constant B is broadcast.");
                }

                AddConstantOperation(node, operation, b, c.FloatTensor, constantFirst: true);
                return;
            case (ConstantValue a, ConstantValue c):
                Bind(node, FoldBinary(operation, a, new ConstantValue(LegacyBroadcast(node, c.FloatTensor, a.FloatTensor.Dims.Length))));
                return;
            default:
                Bind(node, FoldBinary(operation, left, right));
                return;
        }
    }

    /// <summary>
    /// Returns a constant input B of Add, Sub, Mul or Div as NumPy broadcasting would read it. From opset 7 that is B
    /// itself. Before, B broadcasts only when the node says <c>broadcast=1</c>, and then its dimensions match A's from
    /// <c>axis</c> on (by default A's trailing dimensions): B of shape [C] with axis=1 against [N, C, H, W] is one value
    /// per channel, which NumPy would align with the width. The returned tensor has B's values with trailing
    /// dimensions of 1 appended so that NumPy's alignment gives the same result.
    /// </summary>
    private OnnxTensor LegacyBroadcast(NodeProto node, OnnxTensor b, int rankOfA)
    {
        if (LegacyBroadcastAxis(node, b.Dims.Length, rankOfA) is not { } axis)
        {
            return b;
        }

        int trailing = rankOfA - (int)axis - b.Dims.Length;
        return trailing == 0 ? b : b.Select([.. b.Dims, .. Enumerable.Repeat(1, trailing)], Enumerable.Range(0, b.Length).ToArray());
    }

    /// <summary>
    /// Gets the axis of A at which a legacy (before opset 7) <c>broadcast=1</c> aligns input B, or <see langword="null"/>
    /// when the node does not broadcast that way (opset 7 and later, or <c>broadcast=0</c>: shapes then match exactly,
    /// which NumPy's rules also accept).
    /// </summary>
    private long? LegacyBroadcastAxis(NodeProto node, int rankOfB, int rankOfA)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        if (_opset >= 7 || attributes.GetInt64("broadcast", 0) == 0)
        {
            return null;
        }

        long axis = attributes.Has("axis") ? Normalize(attributes.GetInt64("axis", 0), rankOfA) : rankOfA - rankOfB;
        if (axis < 0 || axis + rankOfB > rankOfA)
        {
            throw Fail($"broadcast=1 with axis {attributes.GetInt64("axis", rankOfA - rankOfB)} (opset {_opset}) does not fit input B of rank {rankOfB} into input A of rank {rankOfA}.");
        }

        return axis;
    }

    /// <summary>
    /// Recognizes the exact GELU that PyTorch writes before opset 20, x / √2 → Erf → + 1 → x · → · 0.5, each step the
    /// only reader of the one before, and imports the five nodes as one <see cref="Gelu"/>.
    /// </summary>
    private bool TryFuseGelu(NodeProto div, NodeOutputValue x, OnnxTensor divisor)
    {
        string input = div.Input[0];
        if (!IsScalar(divisor, MathF.Sqrt(2f))
            || OnlyReader(div.Output[0]) is not { OpType: "Erf", Output.Count: 1 } erf
            || OnlyReader(erf.Output[0]) is not { OpType: "Add", Input.Count: 2, Output.Count: 1 } add
            || !IsScalarInput(add, erf.Output[0], 1f)
            || OnlyReader(add.Output[0]) is not { OpType: "Mul", Input.Count: 2, Output.Count: 1 } times
            || !((times.Input[0] == input && times.Input[1] == add.Output[0]) || (times.Input[1] == input && times.Input[0] == add.Output[0]))
            || OnlyReader(times.Output[0]) is not { OpType: "Mul", Input.Count: 2, Output.Count: 1 } half
            || !IsScalarInput(half, times.Output[0], 0.5f))
        {
            return false;
        }

        foreach (var fused in new[] { erf, add, times, half })
        {
            _fused.Add(fused);
        }

        int index = _network.Add(new Gelu(name: LayerName(half)), x.Node);
        var value = new NodeOutputValue(index, _network.Nodes[index].OutputShape);
        foreach (var node in new[] { div, erf, add, times, half })
        {
            _values[node.Output[0]] = value;
        }

        return true;
    }

    /// <summary>Whether the node's input other than <paramref name="data"/> is a float scalar constant equal to <paramref name="expected"/>.</summary>
    private bool IsScalarInput(NodeProto node, string data, float expected)
    {
        string other = node.Input[0] == data ? node.Input[1] : node.Input[0];
        if (other == data || !(_initializers.ContainsKey(other) || _values.ContainsKey(other)
            || (_producers.TryGetValue(other, out var producer) && producer.OpType == "Constant")))
        {
            return false;
        }

        var outer = _current;
        _current = node;
        var value = Resolve(other);
        _current = outer;
        return value is ConstantValue c && IsScalar(c.FloatTensor, expected);
    }

    private static bool IsScalar(OnnxTensor tensor, float expected) =>
        tensor.Type == TensorProto.Types.DataType.Float && tensor.Length == 1
        && MathF.Abs(tensor.Floats("the constant", r => new OnnxImportException(null, null, null, r))[0] - expected) <= 1e-6f * Math.Max(1f, MathF.Abs(expected));

    private void AddConstantOperation(NodeProto node, BinaryOperation operation, NodeOutputValue x, OnnxTensor constant, bool constantFirst)
    {
        var values = constant.Floats("the constant operand", r => Fail(r));
        var dims = constant.Dims;
        if (dims.Length == x.Shape.Length + 1)
        {
            if (dims[0] != 1)
            {
                throw Fail($"the constant operand of shape {constant.FormatDims()} differs along the batch dimension; only constants that are the same for every sample are supported.");
            }

            dims = dims[1..];
        }
        else if (dims.Length > x.Shape.Length + 1)
        {
            throw Fail($"the constant operand of shape {constant.FormatDims()} has a higher rank than the input [batch, {string.Join(", ", x.Shape)}].");
        }

        if (dims.Length == 0)
        {
            dims = [1];
        }

        var tensor = FloatTensor.FromValues(values, dims);
        AddLayer(node, new ConstantOperation(operation, tensor, constantFirst, LayerName(node)), x.Node);
    }

    private OnnxValue FoldBinary(BinaryOperation operation, OnnxValue left, OnnxValue right)
    {
        if (left is ConstantValue { FloatTensor.Type: TensorProto.Types.DataType.Float } a && right is ConstantValue { FloatTensor.Type: TensorProto.Types.DataType.Float } b)
        {
            var shape = BroadcastPlan.Shape(a.FloatTensor.Dims, b.FloatTensor.Dims)
                ?? throw Fail($"constant operands {a.FloatTensor.FormatDims()} and {b.FloatTensor.FormatDims()} do not broadcast.");
            CheckFoldedSize(shape);
            var result = new float[FloatTensor.ComputeLength(shape)];
            BroadcastPlan.Create(a.FloatTensor.Dims, b.FloatTensor.Dims).Apply(operation, a.FloatTensor.Floats("A", r => Fail(r)), b.FloatTensor.Floats("B", r => Fail(r)), result);
            return new ConstantValue(OnnxTensor.FromFloats(shape, result));
        }

        // Integer shape arithmetic: element-wise on vectors of equal length or against a scalar, batch positions propagate.
        var (x, xBatch, xDims) = Integers(left, "input A");
        var (y, yBatch, yDims) = Integers(right, "input B");
        if (x.Length != y.Length && x.Length != 1 && y.Length != 1)
        {
            throw Fail($"integer operands of {x.Length} and {y.Length} values do not broadcast.");
        }

        int length = Math.Max(x.Length, y.Length);
        var values = new long[length];
        var batch = new bool[length];
        for (int i = 0; i < length; i++)
        {
            long p = x[x.Length == 1 ? 0 : i], q = y[y.Length == 1 ? 0 : i];
            batch[i] = xBatch[x.Length == 1 ? 0 : i] || yBatch[y.Length == 1 ? 0 : i];
            values[i] = operation switch
            {
                BinaryOperation.Add => p + q,
                BinaryOperation.Subtract => p - q,
                BinaryOperation.Multiply => p * q,
                _ => q == 0 ? (batch[i] ? 0 : throw Fail("integer division by zero.")) : p / q,
            };
        }

        return MakeIntegers(values, batch, xDims.Length >= yDims.Length ? xDims : yDims);
    }

    /// <summary>Returns an integer value (constant or shape arithmetic) as values, batch flags and dimensions.</summary>
    private (long[] Values, bool[] Batch, int[] Dims) Integers(OnnxValue value, string role) => value switch
    {
        ShapeValue s => (s.Values, s.Batch, s.Dims),
        ConstantValue c => (c.FloatTensor.Integers(role, r => Fail(r)), new bool[c.FloatTensor.Length], c.FloatTensor.Dims),
        _ => throw Fail($"{role} is computed from the input; only shape arithmetic on constants and Shape outputs is folded."),
    };

    /// <summary>Returns a plain constant when no position holds the batch, else a <see cref="ShapeValue"/>.</summary>
    private static OnnxValue MakeIntegers(long[] values, bool[] batch, int[] dims) =>
        batch.Any(b => b) ? new ShapeValue(values, batch, dims) : new ConstantValue(OnnxTensor.FromIntegers(dims, values));

    private void CheckFoldedSize(int[] shape)
    {
        long elements = 1;
        foreach (int d in shape)
        {
            elements *= d;
            if (elements > MaxActivationElements)
            {
                throw Fail($"the folded constant of shape [{string.Join(", ", shape)}] exceeds {MaxActivationElements} elements.");
            }
        }
    }
}
