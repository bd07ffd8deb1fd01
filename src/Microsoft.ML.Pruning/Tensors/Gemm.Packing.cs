using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Pruning.Tensors;

/// <content>
/// Packing of op(A) into row panels and op(B) into column panels, for all four transpose combinations.
/// Panels are zero-padded to whole tiles, so the micro-kernel never needs to know about edges.
/// </content>
internal static partial class Gemm
{
    /// <summary>
    /// Packs rows [<paramref name="i0"/>, i0 + <paramref name="height"/>) and depth [<paramref name="p0"/>, p0 + <paramref name="depth"/>)
    /// of op(A) into panels of <see cref="RowsPerTile"/> rows: panel q holds, for each depth p, the values of its
    /// rows one after another, at <paramref name="packed"/> + q·<see cref="RowsPerTile"/>·depth.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackA(bool transpose, float* a, nint lda, int i0, int height, int p0, int depth, float* packed, bool simd)
    {
        const int Mr = RowsPerTile;
        for (int ir = 0; ir < height; ir += Mr, packed += Mr * depth)
        {
            int rows = Math.Min(Mr, height - ir);
            int i = i0 + ir;
            if (transpose)
            {
                // A is stored k×m: the rows of one depth step are contiguous.
                float* source = a + ((nint)p0 * lda) + i;
                if (rows == Mr)
                {
                    for (int p = 0; p < depth; p++, source += lda)
                    {
                        Vector128.Store(Vector128.Load(source), packed + (p * Mr));
                        packed[(p * Mr) + 4] = source[4];
                        packed[(p * Mr) + 5] = source[5];
                    }
                }
                else
                {
                    for (int p = 0; p < depth; p++, source += lda)
                    {
                        for (int r = 0; r < Mr; r++)
                        {
                            packed[(p * Mr) + r] = r < rows ? source[r] : 0f;
                        }
                    }
                }
            }
            else
            {
                // A is stored m×k: each row is contiguous along the depth, so eight depth steps of the six rows
                // are read as six vectors and transposed.
                float* source = a + ((nint)i * lda) + p0;
                int p = 0;
                if (simd && rows == Mr)
                {
                    for (; p + 8 <= depth; p += 8)
                    {
                        PackSixRowsTransposed(source + p, lda, packed + (p * Mr));
                    }
                }

                for (int r = 0; r < Mr; r++)
                {
                    float* row = source + (r * lda);
                    for (int q = p; q < depth; q++)
                    {
                        packed[(q * Mr) + r] = r < rows ? row[q] : 0f;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs depth [<paramref name="p0"/>, p0 + <paramref name="depth"/>) and columns [<paramref name="j0"/>, j0 + <paramref name="width"/>)
    /// of op(B) into panels of <paramref name="nr"/> columns: panel q holds, for each depth p, its columns one after
    /// another, at <paramref name="packed"/> + q·nr·depth.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackB(bool transpose, float* b, nint ldb, int p0, int depth, int j0, int width, float* packed, int nr, bool simd)
    {
        for (int jr = 0; jr < width; jr += nr, packed += nr * depth)
        {
            int columns = Math.Min(nr, width - jr);
            int j = j0 + jr;
            if (!transpose)
            {
                // B is stored k×n: each depth step of the panel is a contiguous run of columns.
                float* source = b + ((nint)p0 * ldb) + j;
                for (int p = 0; p < depth; p++, source += ldb)
                {
                    float* target = packed + (p * nr);
                    int x = 0;
                    if (columns == nr)
                    {
                        for (; x < nr; x += 4)
                        {
                            Vector128.Store(Vector128.Load(source + x), target + x);
                        }
                    }

                    for (; x < nr; x++)
                    {
                        target[x] = x < columns ? source[x] : 0f;
                    }
                }

                continue;
            }

            // B is stored n×k: each column of op(B) is a contiguous row of B. Groups of eight columns and eight
            // depth steps are transposed in registers; the rest, and the zero padding, go one value at a time.
            float* columnStart = b + ((nint)j * ldb) + p0;
            for (int g = 0; g < nr; g += 8)
            {
                int groupColumns = Math.Clamp(columns - g, 0, 8);
                float* source = columnStart + (g * ldb);
                int p = 0;
                if (simd && groupColumns == 8)
                {
                    for (; p + 8 <= depth; p += 8)
                    {
                        PackEightColumnsTransposed(source + p, ldb, packed + (p * nr) + g, nr);
                    }
                }

                for (int x = 0; x < 8; x++)
                {
                    float* column = source + (x * ldb);
                    for (int q = p; q < depth; q++)
                    {
                        packed[(q * nr) + g + x] = x < groupColumns ? column[q] : 0f;
                    }
                }
            }
        }
    }

    /// <summary>Reads 8 values from each of 6 rows and writes them as 8 groups of 6 (one group per column).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PackSixRowsTransposed(float* source, nint stride, float* target)
    {
        var r0 = Avx.LoadVector256(source);
        var r1 = Avx.LoadVector256(source + stride);
        var r2 = Avx.LoadVector256(source + (2 * stride));
        var r3 = Avx.LoadVector256(source + (3 * stride));
        var r4 = Avx.LoadVector256(source + (4 * stride));
        var r5 = Avx.LoadVector256(source + (5 * stride));
        var r6 = Vector256<float>.Zero;
        var r7 = Vector256<float>.Zero;
        Transpose8x8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        StoreSix(r0, target);
        StoreSix(r1, target + 6);
        StoreSix(r2, target + 12);
        StoreSix(r3, target + 18);
        StoreSix(r4, target + 24);
        StoreSix(r5, target + 30);
        StoreSix(r6, target + 36);
        StoreSix(r7, target + 42);
    }

    /// <summary>Stores the first six lanes of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreSix(Vector256<float> value, float* target)
    {
        Vector128.Store(value.GetLower(), target);
        Sse.StoreLow(target + 4, value.GetUpper());
    }

    /// <summary>Reads 8 values from each of 8 rows and writes them as 8 rows of 8, <paramref name="targetStride"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void PackEightColumnsTransposed(float* source, nint stride, float* target, nint targetStride)
    {
        var r0 = Avx.LoadVector256(source);
        var r1 = Avx.LoadVector256(source + stride);
        var r2 = Avx.LoadVector256(source + (2 * stride));
        var r3 = Avx.LoadVector256(source + (3 * stride));
        var r4 = Avx.LoadVector256(source + (4 * stride));
        var r5 = Avx.LoadVector256(source + (5 * stride));
        var r6 = Avx.LoadVector256(source + (6 * stride));
        var r7 = Avx.LoadVector256(source + (7 * stride));
        Transpose8x8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        Avx.Store(target, r0);
        Avx.Store(target + targetStride, r1);
        Avx.Store(target + (2 * targetStride), r2);
        Avx.Store(target + (3 * targetStride), r3);
        Avx.Store(target + (4 * targetStride), r4);
        Avx.Store(target + (5 * targetStride), r5);
        Avx.Store(target + (6 * targetStride), r6);
        Avx.Store(target + (7 * targetStride), r7);
    }

    /// <summary>Transposes the 8×8 matrix whose rows are <paramref name="r0"/> to <paramref name="r7"/>, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(
        ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2, ref Vector256<float> r3,
        ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6, ref Vector256<float> r7)
    {
        // Interleave pairs of rows, then pairs of pairs within each 128-bit lane, then swap the lanes.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        r0 = Avx.Permute2x128(s0, s4, 0x20);
        r1 = Avx.Permute2x128(s1, s5, 0x20);
        r2 = Avx.Permute2x128(s2, s6, 0x20);
        r3 = Avx.Permute2x128(s3, s7, 0x20);
        r4 = Avx.Permute2x128(s0, s4, 0x31);
        r5 = Avx.Permute2x128(s1, s5, 0x31);
        r6 = Avx.Permute2x128(s2, s6, 0x31);
        r7 = Avx.Permute2x128(s3, s7, 0x31);
    }
}
