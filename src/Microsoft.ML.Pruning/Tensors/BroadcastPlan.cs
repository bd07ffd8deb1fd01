using System.Numerics.Tensors;

namespace Microsoft.ML.Pruning.Tensors;

/// <summary>
/// How two tensors broadcast onto an output under NumPy's rules (shapes aligned on the right, a dimension of 1
/// repeated), with adjacent dimensions that broadcast alike merged, so that the inner loop runs over the longest
/// contiguous stretch. Offsets into each operand follow per-dimension strides that are zero where it repeats.
/// </summary>
internal sealed class BroadcastPlan
{
    private readonly int[] _sizes;
    private readonly int[] _strideA;
    private readonly int[] _strideB;

    private BroadcastPlan(int[] sizes, int[] strideA, int[] strideB, int length)
    {
        _sizes = sizes;
        _strideA = strideA;
        _strideB = strideB;
        Length = length;
    }

    /// <summary>Gets the number of output elements.</summary>
    public int Length { get; }

    /// <summary>Returns the broadcast shape of two shapes, or <see langword="null"/> when they do not broadcast.</summary>
    /// <param name="a">The first shape.</param>
    /// <param name="b">The second shape.</param>
    /// <returns>The output shape.</returns>
    public static int[]? Shape(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = Dimension(a, i, rank), db = Dimension(b, i, rank);
            if (da != db && da != 1 && db != 1)
            {
                return null;
            }

            shape[i] = da == 1 ? db : da;
        }

        return shape;
    }

    /// <summary>Plans the broadcast of operands <paramref name="a"/> and <paramref name="b"/>.</summary>
    /// <param name="a">The first operand's shape.</param>
    /// <param name="b">The second operand's shape.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static BroadcastPlan Create(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var output = Shape(a, b) ?? throw new ArgumentException($"Shapes {FloatTensor.FormatShape(a)} and {FloatTensor.FormatShape(b)} do not broadcast.");
        int rank = output.Length;
        var sizes = new List<int>();
        var strideA = new List<int>();
        var strideB = new List<int>();
        int contiguousA = 1, contiguousB = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            int size = output[i];
            int da = Dimension(a, i, rank), db = Dimension(b, i, rank);
            int sa = da == 1 ? 0 : contiguousA, sb = db == 1 ? 0 : contiguousB;
            contiguousA *= da;
            contiguousB *= db;
            if (size == 1)
            {
                continue;
            }

            // Merge with the dimension to the right when both operands step through it as one.
            if (sizes.Count > 0 && sa == strideA[^1] * sizes[^1] && sb == strideB[^1] * sizes[^1])
            {
                sizes[^1] *= size;
                continue;
            }

            sizes.Add(size);
            strideA.Add(sa);
            strideB.Add(sb);
        }

        if (sizes.Count == 0)
        {
            sizes.Add(1);
            strideA.Add(0);
            strideB.Add(0);
        }

        sizes.Reverse();
        strideA.Reverse();
        strideB.Reverse();
        return new BroadcastPlan([.. sizes], [.. strideA], [.. strideB], FloatTensor.ComputeLength(output));
    }

    /// <summary>Computes output = a op b.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand.</param>
    /// <param name="output">The output.</param>
    public void Apply(BinaryOperation operation, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> output)
    {
        int inner = _sizes[^1], sa = _strideA[^1], sb = _strideB[^1];
        Span<int> index = stackalloc int[_sizes.Length];
        for (int o = 0, offsetA = 0, offsetB = 0; o < Length; o += inner)
        {
            var y = output.Slice(o, inner);
            if (!ApplyVectorized(operation, a, offsetA, sa, b, offsetB, sb, y))
            {
                for (int i = 0; i < y.Length; i++)
                {
                    y[i] = Compute(operation, a[offsetA + (i * sa)], b[offsetB + (i * sb)]);
                }
            }

            Advance(index, ref offsetA, ref offsetB);
        }
    }

    /// <summary>
    /// Adds the gradient of Σ output·g with respect to one operand into <paramref name="gradient"/> (summed over the
    /// positions where that operand repeats).
    /// </summary>
    /// <param name="operation">The forward operation.</param>
    /// <param name="first">Whether the gradient is with respect to <paramref name="a"/> (else <paramref name="b"/>).</param>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand.</param>
    /// <param name="outputGradient">The gradient with respect to the output.</param>
    /// <param name="gradient">The operand's gradient, accumulated into.</param>
    public void AccumulateGradient(BinaryOperation operation, bool first, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> outputGradient, Span<float> gradient)
    {
        int inner = _sizes[^1], sa = _strideA[^1], sb = _strideB[^1];
        int step = first ? sa : sb;
        Span<int> index = stackalloc int[_sizes.Length];
        for (int o = 0, offsetA = 0, offsetB = 0; o < Length; o += inner)
        {
            var g = outputGradient.Slice(o, inner);
            int target = first ? offsetA : offsetB;
            if (!AccumulateVectorized(operation, first, a, offsetA, sa, b, offsetB, sb, g, gradient, target, step))
            {
                for (int i = 0; i < g.Length; i++)
                {
                    float x = a[offsetA + (i * sa)], y = b[offsetB + (i * sb)];
                    float d = operation switch
                    {
                        BinaryOperation.Add => 1f,
                        BinaryOperation.Subtract => first ? 1f : -1f,
                        BinaryOperation.Multiply => first ? y : x,
                        _ => first ? 1f / y : -x / (y * y),
                    };
                    gradient[target + (i * step)] += g[i] * d;
                }
            }

            Advance(index, ref offsetA, ref offsetB);
        }
    }

    private static float Compute(BinaryOperation operation, float x, float y) => operation switch
    {
        BinaryOperation.Add => x + y,
        BinaryOperation.Subtract => x - y,
        BinaryOperation.Multiply => x * y,
        _ => x / y,
    };

    // One inner run where each operand is contiguous (stride 1) or a single repeated value (stride 0), through
    // TensorPrimitives; false for the other cases.
    private static bool ApplyVectorized(BinaryOperation operation, ReadOnlySpan<float> a, int offsetA, int sa, ReadOnlySpan<float> b, int offsetB, int sb, Span<float> y)
    {
        if (sa > 1 || sb > 1 || (sa == 0 && sb == 0))
        {
            return false;
        }

        var x = sa == 1 ? a.Slice(offsetA, y.Length) : default;
        var z = sb == 1 ? b.Slice(offsetB, y.Length) : default;
        switch (operation, sa, sb)
        {
            case (BinaryOperation.Add, 1, 1): TensorPrimitives.Add(x, z, y); break;
            case (BinaryOperation.Add, 1, 0): TensorPrimitives.Add(x, b[offsetB], y); break;
            case (BinaryOperation.Add, 0, 1): TensorPrimitives.Add(z, a[offsetA], y); break;
            case (BinaryOperation.Subtract, 1, 1): TensorPrimitives.Subtract(x, z, y); break;
            case (BinaryOperation.Subtract, 1, 0): TensorPrimitives.Subtract(x, b[offsetB], y); break;
            case (BinaryOperation.Subtract, 0, 1): TensorPrimitives.Subtract(a[offsetA], z, y); break;
            case (BinaryOperation.Multiply, 1, 1): TensorPrimitives.Multiply(x, z, y); break;
            case (BinaryOperation.Multiply, 1, 0): TensorPrimitives.Multiply(x, b[offsetB], y); break;
            case (BinaryOperation.Multiply, 0, 1): TensorPrimitives.Multiply(z, a[offsetA], y); break;
            case (BinaryOperation.Divide, 1, 1): TensorPrimitives.Divide(x, z, y); break;
            default: return false;
        }

        return true;
    }

    // The gradient of one inner run for Add, Subtract and Multiply when both operands are contiguous or repeated: an
    // element-wise multiply-add where the operand is contiguous, a sum or dot product where it repeats.
    private static bool AccumulateVectorized(BinaryOperation operation, bool first, ReadOnlySpan<float> a, int offsetA, int sa, ReadOnlySpan<float> b, int offsetB, int sb, ReadOnlySpan<float> g, Span<float> gradient, int target, int step)
    {
        if (sa > 1 || sb > 1 || operation == BinaryOperation.Divide)
        {
            return false;
        }

        float sign = operation == BinaryOperation.Subtract && !first ? -1f : 1f;
        if (operation != BinaryOperation.Multiply)
        {
            if (step == 0)
            {
                gradient[target] += sign * TensorPrimitives.Sum(g);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(g, sign, gradient.Slice(target, g.Length), gradient.Slice(target, g.Length));
            }

            return true;
        }

        // d(a·b)/da = b and d(a·b)/db = a: the other operand, contiguous or repeated.
        int otherStride = first ? sb : sa, otherOffset = first ? offsetB : offsetA;
        var other = first ? b : a;
        if (step == 0)
        {
            gradient[target] += otherStride == 0 ? other[otherOffset] * TensorPrimitives.Sum(g) : TensorPrimitives.Dot(g, other.Slice(otherOffset, g.Length));
        }
        else if (otherStride == 0)
        {
            TensorPrimitives.MultiplyAdd(g, other[otherOffset], gradient.Slice(target, g.Length), gradient.Slice(target, g.Length));
        }
        else
        {
            TensorPrimitives.MultiplyAdd(g, other.Slice(otherOffset, g.Length), gradient.Slice(target, g.Length), gradient.Slice(target, g.Length));
        }

        return true;
    }

    private static int Dimension(ReadOnlySpan<int> shape, int axis, int rank)
    {
        int i = axis - (rank - shape.Length);
        return i < 0 ? 1 : shape[i];
    }

    // Steps the odometer over every dimension but the innermost, updating both operands' offsets.
    private void Advance(Span<int> index, ref int offsetA, ref int offsetB)
    {
        for (int d = _sizes.Length - 2; d >= 0; d--)
        {
            index[d]++;
            offsetA += _strideA[d];
            offsetB += _strideB[d];
            if (index[d] < _sizes[d])
            {
                return;
            }

            offsetA -= _strideA[d] * _sizes[d];
            offsetB -= _strideB[d] * _sizes[d];
            index[d] = 0;
        }
    }
}
