using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// Constant folding of the tensors PyTorch computes at run time from constants (F.pad's pads: ConstantOfShape,
/// Reshape, Slice with negative steps, Transpose): evaluated at import into constants.
/// </summary>
internal sealed partial class OnnxImporter
{
    /// <summary>The most elements a folded constant may have.</summary>
    private const int MaxFoldedElements = 1 << 20;

    private void ImportConstantOfShape(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var (shape, batch, _) = Integers(Resolve(InputName(node, 0, "input")), "the shape");
        if (batch.Any(b => b))
        {
            throw Fail("ConstantOfShape of a shape that holds the batch size is not supported.");
        }

        var dims = FoldedDims(shape);
        int length = dims.Aggregate(1, (p, d) => p * d);
        var value = attributes.GetTensor("value") is { } t ? OnnxTensor.Read(t, r => Fail(r)) : OnnxTensor.FromFloats([1], [0f]);
        if (value.Length != 1)
        {
            throw Fail("the value attribute must hold one element.");
        }

        Bind(node, new ConstantValue(value.Select(dims, new int[length])));
    }

    /// <summary>Folds a Reshape of a constant.</summary>
    private OnnxValue FoldReshape(OnnxTensor data, long[] target)
    {
        var dims = new long[target.Length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < target.Length; i++)
        {
            dims[i] = target[i] == 0 ? (i < data.Dims.Length ? data.Dims[i] : throw Fail($"the shape copies dimension {i}, which the constant does not have.")) : target[i];
            if (dims[i] == -1 && infer < 0)
            {
                infer = i;
            }
            else if (dims[i] < 0)
            {
                throw Fail($"the shape has an invalid dimension {dims[i]}.");
            }
            else
            {
                known *= dims[i];
            }
        }

        if (infer >= 0)
        {
            dims[infer] = known == 0 ? 0 : data.Length / known;
        }

        if (dims.Aggregate(1L, (p, d) => p * d) != data.Length)
        {
            throw Fail($"the constant of shape {data.FormatDims()} cannot be reshaped to [{string.Join(", ", target)}].");
        }

        return new ConstantValue(data.Select(FoldedDims(dims), Enumerable.Range(0, data.Length).ToArray()));
    }

    /// <summary>Folds a Transpose of a constant.</summary>
    private OnnxValue FoldTranspose(OnnxTensor data, long[]? perm)
    {
        int rank = data.Dims.Length;
        perm ??= Enumerable.Range(0, rank).Reverse().Select(i => (long)i).ToArray();
        if (perm.Length != rank || perm.Distinct().Count() != rank || perm.Any(p => p < 0 || p >= rank))
        {
            throw Fail($"perm [{string.Join(", ", perm)}] is not a permutation of the constant's {rank} axes.");
        }

        var dims = perm.Select(p => data.Dims[p]).ToArray();
        var strides = Strides(data.Dims);
        var indices = new int[data.Length];
        var index = new int[rank];
        for (int o = 0; o < indices.Length; o++)
        {
            int source = 0;
            for (int a = 0; a < rank; a++)
            {
                source += index[a] * strides[perm[a]];
            }

            indices[o] = source;
            for (int a = rank - 1; a >= 0 && ++index[a] == dims[a]; a--)
            {
                index[a] = 0;
            }
        }

        return new ConstantValue(data.Select(dims, indices));
    }

    /// <summary>Folds a Slice of a constant (any steps, negative included).</summary>
    private OnnxValue FoldSlice(OnnxTensor data, long[] starts, long[] ends, long[] axes, long[] steps)
    {
        int rank = data.Dims.Length;
        var picks = data.Dims.Select(d => Enumerable.Range(0, d).ToArray()).ToArray();
        for (int i = 0; i < starts.Length; i++)
        {
            int axis = (int)Normalize(axes[i], rank);
            if (axis < 0 || axis >= rank || steps[i] == 0)
            {
                throw Fail($"axis {axes[i]} or step {steps[i]} is invalid for the rank-{rank} constant.");
            }

            long size = data.Dims[axis], step = steps[i];
            long start = starts[i] < 0 ? starts[i] + size : starts[i], end = ends[i] < 0 ? ends[i] + size : ends[i];
            start = step > 0 ? Math.Clamp(start, 0, size) : Math.Clamp(start, -1, size - 1);
            end = step > 0 ? Math.Clamp(end, 0, size) : Math.Clamp(end, -1, size - 1);
            var list = new List<int>();
            for (long k = start; step > 0 ? k < end : k > end; k += step)
            {
                list.Add((int)k);
            }

            picks[axis] = [.. list];
        }

        var dims = picks.Select(p => p.Length).ToArray();
        var strides = Strides(data.Dims);
        int length = dims.Aggregate(1, (p, d) => p * d);
        var indices = new int[length];
        var index = new int[rank];
        for (int o = 0; o < length; o++)
        {
            int source = 0;
            for (int a = 0; a < rank; a++)
            {
                source += picks[a][index[a]] * strides[a];
            }

            indices[o] = source;
            for (int a = rank - 1; a >= 0 && ++index[a] == dims[a]; a--)
            {
                index[a] = 0;
            }
        }

        return new ConstantValue(data.Select(dims, indices));
    }

    private int[] FoldedDims(long[] dims)
    {
        long length = 1;
        foreach (long d in dims)
        {
            length *= d;
            if (d < 0 || length > MaxFoldedElements)
            {
                throw Fail($"the folded constant of shape [{string.Join(", ", dims)}] is invalid or exceeds {MaxFoldedElements} elements.");
            }
        }

        return dims.Select(d => (int)d).ToArray();
    }

    private static int[] Strides(int[] dims)
    {
        var strides = new int[dims.Length];
        for (int a = dims.Length - 1, stride = 1; a >= 0; a--)
        {
            strides[a] = stride;
            stride *= dims[a];
        }

        return strides;
    }
}
