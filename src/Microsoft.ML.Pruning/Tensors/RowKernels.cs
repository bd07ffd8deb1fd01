using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Pruning.Tensors;

/// <summary>
/// Vectorized kernels on short rows (a convolution's row segments), in the vector width of the active
/// <see cref="GemmKernel"/>: Vector512 for <see cref="GemmKernel.Vector512"/>, Vector256 for <see cref="GemmKernel.Avx2"/>,
/// Vector128 for <see cref="GemmKernel.Portable"/>; each width steps down to the narrower ones for the tail, so a
/// 4-wide late-layer row still runs vectorized. Tests force each path through <see cref="Gemm.KernelOverride"/>.
/// </summary>
internal static class RowKernels
{
    /// <summary>Gets the vector width, in bits, of the active kernel.</summary>
    public static int Width => Gemm.ActiveKernel switch
    {
        GemmKernel.Vector512 => 512,
        GemmKernel.Avx2 => 256,
        _ => 128,
    };

    /// <summary>row[i] += w · line[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(Span<float> row, ReadOnlySpan<float> line, float w, int width)
    {
        ref float r = ref MemoryMarshal.GetReference(row);
        ref float l = ref MemoryMarshal.GetReference(line);
        nuint count = (uint)row.Length, i = 0;
        if (width >= 512)
        {
            var weight = Vector512.Create(w);
            for (; i + 16 <= count; i += 16)
            {
                Vector512.FusedMultiplyAdd(weight, Vector512.LoadUnsafe(ref l, i), Vector512.LoadUnsafe(ref r, i)).StoreUnsafe(ref r, i);
            }
        }

        if (width >= 256)
        {
            var weight = Vector256.Create(w);
            for (; i + 8 <= count; i += 8)
            {
                Vector256.FusedMultiplyAdd(weight, Vector256.LoadUnsafe(ref l, i), Vector256.LoadUnsafe(ref r, i)).StoreUnsafe(ref r, i);
            }
        }

        var weight128 = Vector128.Create(w);
        for (; i + 4 <= count; i += 4)
        {
            Vector128.MultiplyAddEstimate(weight128, Vector128.LoadUnsafe(ref l, i), Vector128.LoadUnsafe(ref r, i)).StoreUnsafe(ref r, i);
        }

        for (; i < count; i++)
        {
            Unsafe.Add(ref r, i) = MathF.FusedMultiplyAdd(w, Unsafe.Add(ref l, i), Unsafe.Add(ref r, i));
        }
    }

    /// <summary>Returns Σ a[i] · b[i], in a fixed order for a given width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int width)
    {
        ref float x = ref MemoryMarshal.GetReference(a);
        ref float y = ref MemoryMarshal.GetReference(b);
        nuint count = (uint)a.Length, i = 0;
        float sum = 0;
        if (width >= 512 && count >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= count; i += 16)
            {
                acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref y, i), acc);
            }

            sum += Vector512.Sum(acc);
        }

        if (width >= 256 && count - i >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= count; i += 8)
            {
                acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i), acc);
            }

            sum += Vector256.Sum(acc);
        }

        if (count - i >= 4)
        {
            var acc = Vector128<float>.Zero;
            for (; i + 4 <= count; i += 4)
            {
                acc = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref x, i), Vector128.LoadUnsafe(ref y, i), acc);
            }

            sum += Vector128.Sum(acc);
        }

        for (; i < count; i++)
        {
            sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref x, i), Unsafe.Add(ref y, i), sum);
        }

        return sum;
    }

    /// <summary>Returns Σ values[i] in float, vectorized, in a fixed order for a given width.</summary>
    public static float Sum(ReadOnlySpan<float> values, int width)
    {
        ref float x = ref MemoryMarshal.GetReference(values);
        nuint count = (uint)values.Length, i = 0;
        float sum = 0;
        if (width >= 512 && count >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= count; i += 16)
            {
                acc += Vector512.LoadUnsafe(ref x, i);
            }

            sum += Vector512.Sum(acc);
        }

        if (width >= 256 && count - i >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= count; i += 8)
            {
                acc += Vector256.LoadUnsafe(ref x, i);
            }

            sum += Vector256.Sum(acc);
        }

        for (; i < count; i++)
        {
            sum += Unsafe.Add(ref x, i);
        }

        return sum;
    }
}
