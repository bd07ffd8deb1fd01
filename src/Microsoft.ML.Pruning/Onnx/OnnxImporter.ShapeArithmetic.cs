using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// The shape subgraph that PyTorch writes for <c>x.view(x.size(0), -1)</c> and for channel shuffles, folded at import:
/// Shape, Gather, Unsqueeze, Squeeze, Cast and Concat on int64 vectors whose entries are known, or the symbolic batch.
/// </summary>
internal sealed partial class OnnxImporter
{
    private void ImportShape(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var input = Resolve(InputName(node, 0, "data"));
        long[] full;
        bool[] batch;
        switch (input)
        {
            case NodeOutputValue x:
                full = [0, .. x.Shape.Select(d => (long)d)];
                batch = new bool[full.Length];
                batch[0] = _batchSize is null;
                full[0] = _batchSize ?? 0;
                break;
            case ConstantValue c:
                full = c.FloatTensor.Dims.Select(d => (long)d).ToArray();
                batch = new bool[full.Length];
                break;
            case ShapeValue s:
                full = s.Dims.Select(d => (long)d).ToArray();
                batch = new bool[full.Length];
                break;
            default:
                throw Fail("the input is not a tensor.");
        }

        int rank = full.Length;
        int start = (int)Math.Clamp(Normalize(attributes.GetInt64("start", 0), rank), 0, rank);
        int end = (int)Math.Clamp(Normalize(attributes.GetInt64("end", rank), rank), 0, rank);
        int length = Math.Max(0, end - start);
        Bind(node, MakeIntegers(full.AsSpan(start, length).ToArray(), batch.AsSpan(start, length).ToArray(), [length]));
    }

    private void ImportGather(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var data = Resolve(InputName(node, 0, "data"));
        if (data is NodeOutputValue)
        {
            throw Fail("gathering from a feature map is not supported; only Gather on shape vectors (folded at import) is.");
        }

        var (values, batch, dims) = Integers(data, "data");
        var indices = Constant(node, 1, "indices");
        var index = indices.Integers("indices", r => Fail(r));
        if (dims.Length != 1 || attributes.GetInt64("axis", 0) != 0)
        {
            throw Fail($"only Gather along axis 0 of an int64 vector is folded; data has shape [{string.Join(", ", dims)}].");
        }

        var picked = new long[index.Length];
        var pickedBatch = new bool[index.Length];
        for (int i = 0; i < index.Length; i++)
        {
            long k = index[i] < 0 ? index[i] + values.Length : index[i];
            if (k < 0 || k >= values.Length)
            {
                throw Fail($"index {index[i]} is outside the {values.Length} values of data.");
            }

            picked[i] = values[k];
            pickedBatch[i] = batch[k];
        }

        Bind(node, MakeIntegers(picked, pickedBatch, indices.Dims));
    }

    /// <summary>Imports Unsqueeze and Squeeze of int64 shape values (axes as an attribute, or an input from opset 13).</summary>
    private void ImportUnsqueeze(NodeProto node, bool squeeze)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var input = Resolve(InputName(node, 0, "data"));
        if (input is NodeOutputValue x)
        {
            throw Fail($"{node.OpType} of a feature map [batch, {string.Join(", ", x.Shape)}] is not supported; only of shape values (folded at import).");
        }

        var (values, batch, dims) = Integers(input, "data");
        long[] axes = _opset >= 13
            ? OptionalConstant(node, 1, "axes")?.Integers("axes", r => Fail(r)) ?? []
            : attributes.GetInt64s("axes") ?? [];
        int[] result;
        if (squeeze)
        {
            var keep = dims.Select((d, i) => (d, i)).Where(p => axes.Length == 0 ? p.d != 1 : !axes.Select(a => Normalize(a, dims.Length)).Contains(p.i)).Select(p => p.d);
            result = keep.ToArray();
        }
        else
        {
            int rank = dims.Length + axes.Length;
            var normalized = axes.Select(a => Normalize(a, rank)).ToHashSet();
            if (normalized.Count != axes.Length || normalized.Any(a => a < 0 || a >= rank))
            {
                throw Fail($"axes [{string.Join(", ", axes)}] are invalid for an output of rank {rank}.");
            }

            result = new int[rank];
            for (int i = 0, source = 0; i < rank; i++)
            {
                result[i] = normalized.Contains(i) ? 1 : dims[source++];
            }
        }

        if (result.Aggregate(1L, (p, d) => p * d) != values.Length)
        {
            throw Fail($"{node.OpType} with axes [{string.Join(", ", axes)}] does not fit data of shape [{string.Join(", ", dims)}].");
        }

        Bind(node, MakeIntegers(values, batch, result));
    }

    private void ImportCast(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var input = Resolve(InputName(node, 0, "input"));
        long to = _opset >= 6 ? attributes.GetInt64("to", 0) : CastTargetName(attributes.GetString("to", string.Empty));
        bool integer = to is (long)TensorProto.Types.DataType.Int64 or (long)TensorProto.Types.DataType.Int32;
        bool same = input switch
        {
            NodeOutputValue or ConstantValue { FloatTensor.Type: TensorProto.Types.DataType.Float } => to == (long)TensorProto.Types.DataType.Float,
            _ => integer,
        };
        if (!same)
        {
            throw Fail($"Cast to {OnnxTensor.TypeName((int)to)} is supported only where it changes nothing (float32 to FLOAT, shape values to INT64 or INT32).");
        }

        Bind(node, input);
    }

    /// <summary>Reads Cast-1's target type, a name such as <c>FLOAT</c>, as the element type number later versions use.</summary>
    private long CastTargetName(string name) =>
        Enum.TryParse<TensorProto.Types.DataType>(name, ignoreCase: true, out var type) && Enum.IsDefined(type) && type != TensorProto.Types.DataType.Undefined
            ? (long)type
            : throw Fail($"to '{name}' (opset {_opset}) is not an element type name such as FLOAT or INT64.");

    /// <summary>Concatenates int64 shape vectors (axis 0), keeping the batch positions.</summary>
    private void ConcatIntegers(NodeProto node, IReadOnlyList<OnnxValue> inputs)
    {
        var values = new List<long>();
        var batch = new List<bool>();
        foreach (var input in inputs)
        {
            var (v, b, dims) = Integers(input, "an input");
            if (dims.Length != 1)
            {
                throw Fail($"only 1-D shape vectors are concatenated at import; an input has shape [{string.Join(", ", dims)}].");
            }

            values.AddRange(v);
            batch.AddRange(b);
        }

        Bind(node, MakeIntegers([.. values], [.. batch], [values.Count]));
    }

    private static long Normalize(long axis, int rank) => axis < 0 ? axis + rank : axis;
}
