using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Pruning.Tensors;

/// <content>
/// C = A · Bᵀ for a few rows of A (a dense layer at batch 1 to 4): dot products straight from the stored rows,
/// without packing. Packing B costs as much as the product itself when A has one row, so the blocked path runs at a
/// few GFLOP/s there; this one streams B once.
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

    /// <summary>Computes columns [first, end) of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void SmallRowsRange(int m, int first, int end, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        for (int j = first; j < end; j++)
        {
            float* bRow = b + ((long)j * ldb);
            for (int i = 0; i < m; i++)
            {
                float dot = Dot(a + ((long)i * lda), bRow, k);
                float* target = c + ((long)i * ldc) + j;
                *target = accumulate ? *target + dot : dot;
            }
        }
    }

    /// <summary>A dot product of length <paramref name="k"/> (at least 8) with four FMA accumulators, summed in a fixed order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe float Dot(float* x, float* y, int k)
    {
        var s0 = Vector256<float>.Zero;
        var s1 = Vector256<float>.Zero;
        var s2 = Vector256<float>.Zero;
        var s3 = Vector256<float>.Zero;
        int p = 0;
        for (; p <= k - 32; p += 32)
        {
            s0 = Fma.MultiplyAdd(Avx.LoadVector256(x + p), Avx.LoadVector256(y + p), s0);
            s1 = Fma.MultiplyAdd(Avx.LoadVector256(x + p + 8), Avx.LoadVector256(y + p + 8), s1);
            s2 = Fma.MultiplyAdd(Avx.LoadVector256(x + p + 16), Avx.LoadVector256(y + p + 16), s2);
            s3 = Fma.MultiplyAdd(Avx.LoadVector256(x + p + 24), Avx.LoadVector256(y + p + 24), s3);
        }

        for (; p <= k - 8; p += 8)
        {
            s0 = Fma.MultiplyAdd(Avx.LoadVector256(x + p), Avx.LoadVector256(y + p), s0);
        }

        float sum = Vector256.Sum((s0 + s1) + (s2 + s3));
        for (; p < k; p++)
        {
            sum = MathF.FusedMultiplyAdd(x[p], y[p], sum);
        }

        return sum;
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
