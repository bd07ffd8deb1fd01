using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Pruning.Tensors;

/// <content>
/// Products with few rows of C, computed without packing: packing B costs about as much as the product itself when
/// A has a handful of rows, so the blocked path runs at a few GFLOP/s there. C = A · Bᵀ with up to 4 rows (a dense
/// layer at batch 1 to 4) is a set of dot products over the stored rows; C = A · B with up to 16 rows (a
/// convolution with few filters) keeps a 4×16 tile of C in registers and reads B's rows in place.
/// </content>
internal static partial class Gemm
{
    /// <summary>The most rows of C that the dot-product path takes.</summary>
    internal const int MaxSmallRows = 4;

    /// <summary>Whether <see cref="Multiply"/> sends a product to <see cref="MultiplySmallRows"/>.</summary>
    private static bool UseSmallRows(bool transposeA, bool transposeB, int m, int k) =>
        !transposeA && transposeB && m <= MaxSmallRows && k >= 8 && ActiveKernel != GemmKernel.Portable;

    /// <summary>
    /// Computes C (+)= A · Bᵀ for m ≤ <see cref="MaxSmallRows"/>, splitting the columns of C between threads. Each
    /// element is one dot product summed in a fixed order, so the result does not depend on the thread count.
    /// </summary>
    private static unsafe void MultiplySmallRows(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, bool parallel)
    {
        int parts = parallel && (long)m * n * k >= ParallelThreshold ? Math.Min(WorkerPool.Parts, Math.Max(1, n / 16)) : 1;
        if (parts <= 1)
        {
            SmallRowsRange(m, 0, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }

        var state = SmallRowsJob.Current ??= new SmallRowsJob();
        state.Set(m, n, k, a, lda, b, ldb, c, ldc, accumulate, parts);
        try
        {
            WorkerPool.Run(parts, state.Body);
        }
        finally
        {
            state.Clear();
        }
    }

    /// <summary>Computes columns [first, end) of C at the active kernel's vector width.</summary>
    private static unsafe void SmallRowsRange(int m, int first, int end, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        if (ActiveKernel == GemmKernel.Vector512)
        {
            SmallRowsRange<Simd512>(m, first, end, k, a, lda, b, ldb, c, ldc, accumulate);
        }
        else
        {
            SmallRowsRange<Simd256>(m, first, end, k, a, lda, b, ldb, c, ldc, accumulate);
        }
    }

    /// <summary>
    /// Columns [first, end) of C: four rows of B at a time (the weights, streamed once), each dotted with every row of A
    /// in groups of four, so that each depth step loads four vectors of B and four of A for sixteen multiply-adds
    /// (one row of A: four loads of B and one of A for four). Each dot product is one vector accumulator summed across
    /// its lanes in a fixed order, then the remaining depth one value at a time, so it does not depend on the grouping.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void SmallRowsRange<T>(int m, int first, int end, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
        where T : struct, ISimd<T>
    {
        Span<float> dots = stackalloc float[16];
        nint ahead = PrefetchGroups * 4 * (nint)ldb;
        for (int j = first; j < end; j += 4)
        {
            // A last group of fewer than four rows of B repeats its last row; only the valid dots are stored.
            int columns = Math.Min(4, end - j);
            float* b0 = b + ((long)j * ldb);
            float* b1 = columns > 1 ? b0 + ldb : b0, b2 = columns > 2 ? b0 + (2L * ldb) : b1, b3 = columns > 3 ? b0 + (3L * ldb) : b2;
            for (int i0 = 0; i0 < m; i0 += 4)
            {
                int rows = Math.Min(4, m - i0);
                float* a0 = a + ((long)i0 * lda);
                if (rows == 1)
                {
                    Dots1x4<T>(k, a0, b0, b1, b2, b3, dots);
                }
                else
                {
                    float* a1 = a0 + lda, a2 = rows > 2 ? a1 + lda : a1, a3 = rows > 3 ? a2 + lda : a2;
                    Dots4x4<T>(k, a0, a1, a2, a3, b0, b1, b2, b3, ahead, dots);
                }

                for (int r = 0; r < rows; r++)
                {
                    float* target = c + ((long)(i0 + r) * ldc) + j;
                    for (int q = 0; q < columns; q++)
                    {
                        target[q] = accumulate ? target[q] + dots[(r * 4) + q] : dots[(r * 4) + q];
                    }
                }
            }
        }
    }

    /// <summary>
    /// How many groups of four rows of B ahead the 4x4 dot products prefetch (0: none): at batch 1 the weights are read
    /// once per pass, from DRAM or L3, in short runs of four rows that the hardware prefetchers do not ramp up on. The
    /// one-row dot products (a dense layer at batch 1) do not prefetch: their loop is bound by loads already, and the
    /// hints made them slower warm (68 -> 100 µs on 1280 -> 1000) and no faster cold.
    /// </summary>
    internal static int PrefetchGroups { get; set; } = 2;

    // Hints the cache lines at four addresses (x86 with SSE; nothing elsewhere); an address past B does not fault.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(float* p0, float* p1, float* p2, float* p3)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(p0);
            Sse.Prefetch0(p1);
            Sse.Prefetch0(p2);
            Sse.Prefetch0(p3);
        }
    }

    // dots[r · 4 + q] = a_r · b_q for four rows of A and four of B.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void Dots4x4<T>(int k, float* a0, float* a1, float* a2, float* a3, float* b0, float* b1, float* b2, float* b3, nint ahead, Span<float> dots)
        where T : struct, ISimd<T>
    {
        T s00 = T.Zero, s01 = T.Zero, s02 = T.Zero, s03 = T.Zero, s10 = T.Zero, s11 = T.Zero, s12 = T.Zero, s13 = T.Zero;
        T s20 = T.Zero, s21 = T.Zero, s22 = T.Zero, s23 = T.Zero, s30 = T.Zero, s31 = T.Zero, s32 = T.Zero, s33 = T.Zero;
        int p = 0;
        for (; p <= k - T.Count; p += T.Count)
        {
            nuint at = (nuint)p;
            Prefetch(b0 + at + ahead, b1 + at + ahead, b2 + at + ahead, b3 + at + ahead);
            var w0 = T.Load(ref *b0, at);
            var w1 = T.Load(ref *b1, at);
            var w2 = T.Load(ref *b2, at);
            var w3 = T.Load(ref *b3, at);
            var x = T.Load(ref *a0, at);
            s00 = T.MultiplyAdd(x, w0, s00); s01 = T.MultiplyAdd(x, w1, s01); s02 = T.MultiplyAdd(x, w2, s02); s03 = T.MultiplyAdd(x, w3, s03);
            x = T.Load(ref *a1, at);
            s10 = T.MultiplyAdd(x, w0, s10); s11 = T.MultiplyAdd(x, w1, s11); s12 = T.MultiplyAdd(x, w2, s12); s13 = T.MultiplyAdd(x, w3, s13);
            x = T.Load(ref *a2, at);
            s20 = T.MultiplyAdd(x, w0, s20); s21 = T.MultiplyAdd(x, w1, s21); s22 = T.MultiplyAdd(x, w2, s22); s23 = T.MultiplyAdd(x, w3, s23);
            x = T.Load(ref *a3, at);
            s30 = T.MultiplyAdd(x, w0, s30); s31 = T.MultiplyAdd(x, w1, s31); s32 = T.MultiplyAdd(x, w2, s32); s33 = T.MultiplyAdd(x, w3, s33);
        }

        dots[0] = T.Sum(s00); dots[1] = T.Sum(s01); dots[2] = T.Sum(s02); dots[3] = T.Sum(s03);
        dots[4] = T.Sum(s10); dots[5] = T.Sum(s11); dots[6] = T.Sum(s12); dots[7] = T.Sum(s13);
        dots[8] = T.Sum(s20); dots[9] = T.Sum(s21); dots[10] = T.Sum(s22); dots[11] = T.Sum(s23);
        dots[12] = T.Sum(s30); dots[13] = T.Sum(s31); dots[14] = T.Sum(s32); dots[15] = T.Sum(s33);
        for (; p < k; p++)
        {
            float x0 = a0[p], x1 = a1[p], x2 = a2[p], x3 = a3[p], w0 = b0[p], w1 = b1[p], w2 = b2[p], w3 = b3[p];
            dots[0] = MathF.FusedMultiplyAdd(x0, w0, dots[0]); dots[1] = MathF.FusedMultiplyAdd(x0, w1, dots[1]);
            dots[2] = MathF.FusedMultiplyAdd(x0, w2, dots[2]); dots[3] = MathF.FusedMultiplyAdd(x0, w3, dots[3]);
            dots[4] = MathF.FusedMultiplyAdd(x1, w0, dots[4]); dots[5] = MathF.FusedMultiplyAdd(x1, w1, dots[5]);
            dots[6] = MathF.FusedMultiplyAdd(x1, w2, dots[6]); dots[7] = MathF.FusedMultiplyAdd(x1, w3, dots[7]);
            dots[8] = MathF.FusedMultiplyAdd(x2, w0, dots[8]); dots[9] = MathF.FusedMultiplyAdd(x2, w1, dots[9]);
            dots[10] = MathF.FusedMultiplyAdd(x2, w2, dots[10]); dots[11] = MathF.FusedMultiplyAdd(x2, w3, dots[11]);
            dots[12] = MathF.FusedMultiplyAdd(x3, w0, dots[12]); dots[13] = MathF.FusedMultiplyAdd(x3, w1, dots[13]);
            dots[14] = MathF.FusedMultiplyAdd(x3, w2, dots[14]); dots[15] = MathF.FusedMultiplyAdd(x3, w3, dots[15]);
        }
    }

    // dots[q] = a · b_q for one row of A and four of B (a dense layer at batch 1), the same sums as Dots4x4's first row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void Dots1x4<T>(int k, float* a0, float* b0, float* b1, float* b2, float* b3, Span<float> dots)
        where T : struct, ISimd<T>
    {
        T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
        int p = 0;
        for (; p <= k - T.Count; p += T.Count)
        {
            nuint at = (nuint)p;
            var x = T.Load(ref *a0, at);
            s0 = T.MultiplyAdd(x, T.Load(ref *b0, at), s0);
            s1 = T.MultiplyAdd(x, T.Load(ref *b1, at), s1);
            s2 = T.MultiplyAdd(x, T.Load(ref *b2, at), s2);
            s3 = T.MultiplyAdd(x, T.Load(ref *b3, at), s3);
        }

        dots[0] = T.Sum(s0); dots[1] = T.Sum(s1); dots[2] = T.Sum(s2); dots[3] = T.Sum(s3);
        for (; p < k; p++)
        {
            float x = a0[p];
            dots[0] = MathF.FusedMultiplyAdd(x, b0[p], dots[0]);
            dots[1] = MathF.FusedMultiplyAdd(x, b1[p], dots[1]);
            dots[2] = MathF.FusedMultiplyAdd(x, b2[p], dots[2]);
            dots[3] = MathF.FusedMultiplyAdd(x, b3[p], dots[3]);
        }
    }

    /// <summary>
    /// Computes C (+)= A · Bᵀ for up to <see cref="MaxFewRows"/> rows of A without packing (the rows of A stay in cache,
    /// each row of B is read once), splitting the columns of C between threads; for a convolution whose block has only
    /// a few columns (a late-stage plane at batch 1), where packing the weights costs more than the product. On the
    /// portable kernel it runs the ordinary product.
    /// </summary>
    internal static unsafe void MultiplyFewRows(int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc)
    {
        if (ActiveKernel == GemmKernel.Portable || m > MaxFewRows || k < 8)
        {
            Multiply(false, true, m, n, k, a, lda, b, ldb, c, ldc);
            return;
        }

        CheckOperand(a.Length, m, k, lda, nameof(a), nameof(lda));
        CheckOperand(b.Length, n, k, ldb, nameof(b), nameof(ldb));
        CheckOperand(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        fixed (float* pa = a, pb = b, pc = c)
        {
            MultiplySmallRows(m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate: false, parallel: true);
        }
    }

    /// <summary>The most rows <see cref="MultiplyFewRows"/> takes.</summary>
    internal const int MaxFewRows = 16;

    /// <summary>The most rows of C that the unpacked A · B path takes (the filters of a small convolution).</summary>
    internal const int MaxUnpackedRows = 16;

    /// <summary>The most multiply-adds the unpacked A · B path takes; it runs on the calling thread.</summary>
    private const long MaxUnpackedWork = 4L << 20;

    /// <summary>Whether <see cref="Multiply"/> sends a product to <see cref="MultiplyUnpacked"/>.</summary>
    private static bool UseUnpacked(bool transposeA, bool transposeB, int m, int n, int k) =>
        !transposeA && !transposeB && m <= MaxUnpackedRows && n >= 16 && (long)m * n * k <= MaxUnpackedWork
        && ActiveKernel != GemmKernel.Portable;

    /// <summary>
    /// Computes C (+)= A · B for m ≤ <see cref="MaxUnpackedRows"/> (a convolution with few filters: A is the weight,
    /// B the column matrix) reading B's rows in place: with so few rows of A, packing B costs as much as the product.
    /// Four rows and 16 columns of C stay in registers while the depth runs; every element is summed in depth order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplyUnpacked(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            int j = 0;
            for (; j + 16 <= n; j += 16)
            {
                UnpackedTile4x16(k, a + ((long)i * lda), lda, b + j, ldb, c + ((long)i * ldc) + j, ldc, accumulate);
            }

            if (j < n && !accumulate)
            {
                // The last columns as one more tile overlapping the previous one: the overlap is recomputed with the
                // same operations in the same order, so it is written with the same values.
                UnpackedTile4x16(k, a + ((long)i * lda), lda, b + (n - 16), ldb, c + ((long)i * ldc) + (n - 16), ldc, accumulate: false);
                continue;
            }

            for (int r = 0; r < 4; r++)
            {
                UnpackedRowTail(j, n, k, a + ((long)(i + r) * lda), b, ldb, c + ((long)(i + r) * ldc), accumulate);
            }
        }

        for (; i < m; i++)
        {
            int j = 0;
            float* aRow = a + ((long)i * lda);
            float* cRow = c + ((long)i * ldc);
            for (; j + 16 <= n; j += 16)
            {
                var c0 = accumulate ? Avx.LoadVector256(cRow + j) : Vector256<float>.Zero;
                var c1 = accumulate ? Avx.LoadVector256(cRow + j + 8) : Vector256<float>.Zero;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb)
                {
                    var x = Vector256.Create(aRow[p]);
                    c0 = Fma.MultiplyAdd(x, Avx.LoadVector256(bp), c0);
                    c1 = Fma.MultiplyAdd(x, Avx.LoadVector256(bp + 8), c1);
                }

                Avx.Store(cRow + j, c0);
                Avx.Store(cRow + j + 8, c1);
            }

            UnpackedRowTail(j, n, k, aRow, b, ldb, cRow, accumulate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void UnpackedTile4x16(int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31;
        if (accumulate)
        {
            c00 = Avx.LoadVector256(c);
            c01 = Avx.LoadVector256(c + 8);
            c10 = Avx.LoadVector256(c + ldc);
            c11 = Avx.LoadVector256(c + ldc + 8);
            c20 = Avx.LoadVector256(c + (2 * ldc));
            c21 = Avx.LoadVector256(c + (2 * ldc) + 8);
            c30 = Avx.LoadVector256(c + (3 * ldc));
            c31 = Avx.LoadVector256(c + (3 * ldc) + 8);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = Vector256<float>.Zero;
        }

        float* a1 = a + lda, a2 = a + (2 * lda), a3 = a + (3 * lda);
        float* bp = b;
        for (int p = 0; p < k; p++, bp += ldb)
        {
            var b0 = Avx.LoadVector256(bp);
            var b1 = Avx.LoadVector256(bp + 8);
            var x = Vector256.Create(a[p]);
            c00 = Fma.MultiplyAdd(x, b0, c00);
            c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[p]);
            c10 = Fma.MultiplyAdd(x, b0, c10);
            c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[p]);
            c20 = Fma.MultiplyAdd(x, b0, c20);
            c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[p]);
            c30 = Fma.MultiplyAdd(x, b0, c30);
            c31 = Fma.MultiplyAdd(x, b1, c31);
        }

        Avx.Store(c, c00);
        Avx.Store(c + 8, c01);
        Avx.Store(c + ldc, c10);
        Avx.Store(c + ldc + 8, c11);
        Avx.Store(c + (2 * ldc), c20);
        Avx.Store(c + (2 * ldc) + 8, c21);
        Avx.Store(c + (3 * ldc), c30);
        Avx.Store(c + (3 * ldc) + 8, c31);
    }

    /// <summary>Columns [first, n) of one row of C, one at a time, in depth order.</summary>
    private static unsafe void UnpackedRowTail(int first, int n, int k, float* aRow, float* b, int ldb, float* cRow, bool accumulate)
    {
        for (int j = first; j < n; j++)
        {
            float sum = accumulate ? cRow[j] : 0f;
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb)
            {
                sum = MathF.FusedMultiplyAdd(aRow[p], *bp, sum);
            }

            cRow[j] = sum;
        }
    }

    /// <summary>The arguments of one parallel small-rows product, with a cached delegate, one per calling thread.</summary>
    private sealed unsafe class SmallRowsJob
    {
        [ThreadStatic]
        internal static SmallRowsJob? Current;

        private float* _a;
        private float* _b;
        private float* _c;
        private int _m;
        private int _n;
        private int _k;
        private int _lda;
        private int _ldb;
        private int _ldc;
        private int _parts;
        private bool _accumulate;

        internal SmallRowsJob() => Body = RunPart;

        /// <summary>Gets the delegate that runs one part.</summary>
        internal Action<int> Body { get; }

        internal void Set(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, int parts)
        {
            (_m, _n, _k, _lda, _ldb, _ldc, _accumulate, _parts) = (m, n, k, lda, ldb, ldc, accumulate, parts);
            _a = a;
            _b = b;
            _c = c;
        }

        internal void Clear()
        {
            _a = _b = _c = null;
        }

        private void RunPart(int part)
        {
            int first = (int)((long)_n * part / _parts), end = (int)((long)_n * (part + 1) / _parts);
            SmallRowsRange(_m, first, end, _k, _a, _lda, _b, _ldb, _c, _ldc, _accumulate);
        }
    }
}
