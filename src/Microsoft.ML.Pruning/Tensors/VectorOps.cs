using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Pruning.Tensors;

/// <summary>Vectorized element-wise and row/column kernels on spans.</summary>
internal static class VectorOps
{
    /// <summary>Adds <paramref name="row"/> to every row of the row-major matrix <paramref name="matrix"/>.</summary>
    public static void AddRowToEachRow(Span<float> matrix, ReadOnlySpan<float> row)
    {
        int width = row.Length;
        for (int offset = 0; offset < matrix.Length; offset += width)
        {
            Add(matrix.Slice(offset, width), row);
        }
    }

    /// <summary>Writes the sum of the rows of <paramref name="matrix"/> (rows of <paramref name="sums"/>.Length values) into <paramref name="sums"/>.</summary>
    public static void SumRows(ReadOnlySpan<float> matrix, Span<float> sums)
    {
        sums.Clear();
        int width = sums.Length;
        for (int offset = 0; offset < matrix.Length; offset += width)
        {
            Add(sums, matrix.Slice(offset, width));
        }
    }

    /// <summary>destination[i] += source[i].</summary>
    public static void Add(Span<float> destination, ReadOnlySpan<float> source)
    {
        ref float d = ref MemoryMarshal.GetReference(destination);
        ref float s = ref MemoryMarshal.GetReference(source);
        int n = destination.Length;
        int i = 0;
        int width = Vector<float>.Count;
        for (; i <= n - width; i += width)
        {
            var v = Vector.LoadUnsafe(ref d, (nuint)i) + Vector.LoadUnsafe(ref s, (nuint)i);
            v.StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) += Unsafe.Add(ref s, i);
        }
    }

    /// <summary>destination[i] = a[i] + b[i].</summary>
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
    {
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        ref float d = ref MemoryMarshal.GetReference(destination);
        int n = destination.Length;
        int i = 0;
        int width = Vector<float>.Count;
        for (; i <= n - width; i += width)
        {
            (Vector.LoadUnsafe(ref pa, (nuint)i) + Vector.LoadUnsafe(ref pb, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) = Unsafe.Add(ref pa, i) + Unsafe.Add(ref pb, i);
        }
    }

    /// <summary>destination[i] = max(source[i], 0).</summary>
    public static void Relu(ReadOnlySpan<float> source, Span<float> destination)
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        ref float d = ref MemoryMarshal.GetReference(destination);
        int n = source.Length;
        int i = 0;
        int width = Vector<float>.Count;
        for (; i <= n - width; i += width)
        {
            Vector.Max(Vector.LoadUnsafe(ref s, (nuint)i), Vector<float>.Zero).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            float v = Unsafe.Add(ref s, i);
            Unsafe.Add(ref d, i) = v > 0 ? v : 0;
        }
    }

    /// <summary>destination[i] = output[i] &gt; 0 ? gradient[i] : 0.</summary>
    public static void ReluBackward(ReadOnlySpan<float> output, ReadOnlySpan<float> gradient, Span<float> destination)
    {
        ref float o = ref MemoryMarshal.GetReference(output);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float d = ref MemoryMarshal.GetReference(destination);
        int n = output.Length;
        int i = 0;
        int width = Vector<float>.Count;
        for (; i <= n - width; i += width)
        {
            var mask = Vector.GreaterThan(Vector.LoadUnsafe(ref o, (nuint)i), Vector<float>.Zero);
            Vector.ConditionalSelect(mask, Vector.LoadUnsafe(ref g, (nuint)i), Vector<float>.Zero).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) = Unsafe.Add(ref o, i) > 0 ? Unsafe.Add(ref g, i) : 0;
        }
    }

    /// <summary>destination[i] = a[i] * b[i].</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
    {
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        ref float d = ref MemoryMarshal.GetReference(destination);
        int n = destination.Length;
        int i = 0;
        int width = Vector<float>.Count;
        for (; i <= n - width; i += width)
        {
            (Vector.LoadUnsafe(ref pa, (nuint)i) * Vector.LoadUnsafe(ref pb, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) = Unsafe.Add(ref pa, i) * Unsafe.Add(ref pb, i);
        }
    }

    /// <summary>destination[i] += scale * source[i].</summary>
    public static void AddScaled(Span<float> destination, ReadOnlySpan<float> source, float scale)
    {
        ref float d = ref MemoryMarshal.GetReference(destination);
        ref float s = ref MemoryMarshal.GetReference(source);
        int n = destination.Length;
        int i = 0;
        int width = Vector<float>.Count;
        var vs = new Vector<float>(scale);
        for (; i <= n - width; i += width)
        {
            (Vector.LoadUnsafe(ref d, (nuint)i) + (vs * Vector.LoadUnsafe(ref s, (nuint)i))).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) += scale * Unsafe.Add(ref s, i);
        }
    }

    /// <summary>destination[i] *= scale.</summary>
    public static void Scale(Span<float> destination, float scale)
    {
        ref float d = ref MemoryMarshal.GetReference(destination);
        int n = destination.Length;
        int i = 0;
        int width = Vector<float>.Count;
        var vs = new Vector<float>(scale);
        for (; i <= n - width; i += width)
        {
            (Vector.LoadUnsafe(ref d, (nuint)i) * vs).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) *= scale;
        }
    }

    /// <summary>destination[i] += value.</summary>
    public static void AddScalar(Span<float> destination, float value)
    {
        ref float d = ref MemoryMarshal.GetReference(destination);
        int n = destination.Length;
        int i = 0;
        int width = Vector<float>.Count;
        var vv = new Vector<float>(value);
        for (; i <= n - width; i += width)
        {
            (Vector.LoadUnsafe(ref d, (nuint)i) + vv).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) += value;
        }
    }

    /// <summary>Returns the sum of the values, accumulated in double precision in a fixed order.</summary>
    public static double Sum(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += v;
        }

        return sum;
    }
}
