using System.Runtime.CompilerServices;

namespace Microsoft.ML.Pruning.Tensors;

/// <content>
/// Products with few columns of C (a convolution over a late-stage plane at batch 1: 8 to 64 positions), computed
/// without packing either operand: eight rows of C and one vector of columns stay in registers while the depth runs;
/// each depth step loads one vector of B's row and broadcasts eight values of A, read in place from A's rows. A block of
/// the weights is thus read once, in its stored layout, where the blocked product would pack it first and use each
/// packed value a handful of times. The bias and an inference epilogue are applied before the tile is stored.
/// </content>
internal static partial class Gemm
{
    /// <summary>
    /// The fewest columns <see cref="MultiplyFewColumns"/> takes: a Vector256. Narrower, each broadcast of A feeds a
    /// 4-lane multiply-add and the dot products of <see cref="MultiplyFewRows"/> are as fast warm and faster cold.
    /// </summary>
    internal const int MinFewColumns = 8;

    /// <summary>The rows of C one tile of the few-columns product holds, one vector of columns wide.</summary>
    private const int FewColumnsRows = 8;

    /// <summary>The rows of C one tile holds when it is four vectors wide.</summary>
    private const int WideRows = 6;

    /// <summary>The rows threads split C at: whole tiles of either height.</summary>
    private const int SplitRows = 24;

    /// <summary>
    /// Computes C = A · B + bias (per row), then <paramref name="epilogue"/> (per row), for
    /// <see cref="MinFewColumns"/> ≤ n. Each element is one sum in depth order, then the bias, then the epilogue, so the
    /// result does not depend on the thread count (threads split the rows of C).
    /// </summary>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C, at least <see cref="MinFewColumns"/>.</param>
    /// <param name="k">The shared dimension.</param>
    /// <param name="a">A (m×k, row-major).</param>
    /// <param name="lda">A's row stride.</param>
    /// <param name="b">B (k×n, row-major).</param>
    /// <param name="ldb">B's row stride.</param>
    /// <param name="c">C (m×n, row-major), overwritten.</param>
    /// <param name="ldc">C's row stride.</param>
    /// <param name="bias">One value per row of C, or empty for none.</param>
    /// <param name="epilogue">Applied to each row (channel <paramref name="epilogueOffset"/> + row), or <see langword="null"/>.</param>
    /// <param name="epilogueOffset">The epilogue's channel of C's first row.</param>
    internal static unsafe void MultiplyFewColumns(int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
        ReadOnlySpan<float> bias, ConvolutionEpilogue? epilogue, int epilogueOffset = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, MinFewColumns);
        CheckOperand(a.Length, m, k, lda, nameof(a), nameof(lda));
        CheckOperand(b.Length, k, n, ldb, nameof(b), nameof(ldb));
        CheckOperand(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        if (!bias.IsEmpty && bias.Length < m)
        {
            throw new ArgumentException($"The bias holds {bias.Length} values for {m} rows.", nameof(bias));
        }

        if (m == 0)
        {
            return;
        }

        fixed (float* pa = a, pb = b, pc = c, pbias = bias)
        {
            var job = new FewColumnsJob(m, n, k, pa, lda, pb, ldb, pc, ldc, bias.IsEmpty ? null : pbias, epilogue, epilogueOffset);
            int tiles = (m + SplitRows - 1) / SplitRows;
            int parts = (long)m * n * k >= ParallelThreshold ? Math.Min(WorkerPool.Parts, tiles) : 1;
            if (parts <= 1)
            {
                job.Rows(0, m);
                return;
            }

            var state = FewColumnsJob.Parallel ??= new FewColumnsRunner();
            state.Run(job, parts, tiles);
        }
    }

    /// <summary>One few-columns product.</summary>
    private readonly unsafe struct FewColumnsJob(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, float* bias, ConvolutionEpilogue? epilogue, int epilogueOffset)
    {
        [ThreadStatic]
        internal static FewColumnsRunner? Parallel;

        internal int M => m;

        /// <summary>Computes rows [first, end) of C at the widest vector that fits the columns.</summary>
        internal void Rows(int first, int end)
        {
            int width = RowKernels.Width;
            if (width >= 512 && n >= 16)
            {
                Rows<Simd512>(first, end);
            }
            else if (width >= 256 && n >= 8)
            {
                Rows<Simd256>(first, end);
            }
            else
            {
                Rows<Simd128>(first, end);
            }
        }

        private void Rows<T>(int first, int end)
            where T : struct, ISimd<T>
        {
            // Whole groups of four vectors of columns as 6x4 tiles: each broadcast of A feeds four multiply-adds, and
            // A's rows stream through the cache once per group instead of once per vector.
            int count = T.Count, wide = n / (4 * count) * 4 * count;
            for (int i = first; wide > 0 && i < end; i += WideRows)
            {
                int rows = Math.Min(WideRows, end - i);
                for (int j = 0; j < wide; j += 4 * count)
                {
                    if (rows == WideRows)
                    {
                        Tile6x4<T>(i, j);
                        continue;
                    }

                    for (int r = 0; r < rows; r++)
                    {
                        for (int v = 0; v < 4; v++)
                        {
                            Tile1<T>(i + r, j + (v * count));
                        }
                    }
                }
            }

            // The other columns one vector at a time, as 8x1 tiles; the last vector overlaps the one before when the
            // columns are not a whole number of vectors: the overlap is computed again by the same operations, so it is
            // stored with the same values.
            for (int i = first; wide < n && i < end; i += FewColumnsRows)
            {
                int rows = Math.Min(FewColumnsRows, end - i);
                for (int j = wide; j < n; j += count)
                {
                    int column = Math.Min(j, n - count);
                    if (rows == FewColumnsRows)
                    {
                        Tile8<T>(i, column);
                        continue;
                    }

                    for (int r = 0; r < rows; r++)
                    {
                        Tile1<T>(i + r, column);
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
        private void Tile8<T>(int row, int column)
            where T : struct, ISimd<T>
        {
            float* a0 = a + ((nint)row * lda), a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
            float* bp = b + column;
            T c0 = T.Zero, c1 = T.Zero, c2 = T.Zero, c3 = T.Zero, c4 = T.Zero, c5 = T.Zero, c6 = T.Zero, c7 = T.Zero;
            for (int p = 0; p < k; p++, bp += ldb)
            {
                var x = T.Load(ref *bp, 0);
                c0 = T.MultiplyAdd(T.Create(a0[p]), x, c0);
                c1 = T.MultiplyAdd(T.Create(a1[p]), x, c1);
                c2 = T.MultiplyAdd(T.Create(a2[p]), x, c2);
                c3 = T.MultiplyAdd(T.Create(a3[p]), x, c3);
                c4 = T.MultiplyAdd(T.Create(a4[p]), x, c4);
                c5 = T.MultiplyAdd(T.Create(a5[p]), x, c5);
                c6 = T.MultiplyAdd(T.Create(a6[p]), x, c6);
                c7 = T.MultiplyAdd(T.Create(a7[p]), x, c7);
            }

            Store(c0, row, column);
            Store(c1, row + 1, column);
            Store(c2, row + 2, column);
            Store(c3, row + 3, column);
            Store(c4, row + 4, column);
            Store(c5, row + 5, column);
            Store(c6, row + 6, column);
            Store(c7, row + 7, column);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
        private void Tile6x4<T>(int row, int column)
            where T : struct, ISimd<T>
        {
            float* a0 = a + ((nint)row * lda), a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
            float* bp = b + column;
            nuint w = (nuint)T.Count;
            T c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero, c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero;
            T c20 = T.Zero, c21 = T.Zero, c22 = T.Zero, c23 = T.Zero, c30 = T.Zero, c31 = T.Zero, c32 = T.Zero, c33 = T.Zero;
            T c40 = T.Zero, c41 = T.Zero, c42 = T.Zero, c43 = T.Zero, c50 = T.Zero, c51 = T.Zero, c52 = T.Zero, c53 = T.Zero;
            for (int p = 0; p < k; p++, bp += ldb)
            {
                var x0 = T.Load(ref *bp, 0);
                var x1 = T.Load(ref *bp, w);
                var x2 = T.Load(ref *bp, 2 * w);
                var x3 = T.Load(ref *bp, 3 * w);
                var s = T.Create(a0[p]);
                c00 = T.MultiplyAdd(s, x0, c00); c01 = T.MultiplyAdd(s, x1, c01); c02 = T.MultiplyAdd(s, x2, c02); c03 = T.MultiplyAdd(s, x3, c03);
                s = T.Create(a1[p]);
                c10 = T.MultiplyAdd(s, x0, c10); c11 = T.MultiplyAdd(s, x1, c11); c12 = T.MultiplyAdd(s, x2, c12); c13 = T.MultiplyAdd(s, x3, c13);
                s = T.Create(a2[p]);
                c20 = T.MultiplyAdd(s, x0, c20); c21 = T.MultiplyAdd(s, x1, c21); c22 = T.MultiplyAdd(s, x2, c22); c23 = T.MultiplyAdd(s, x3, c23);
                s = T.Create(a3[p]);
                c30 = T.MultiplyAdd(s, x0, c30); c31 = T.MultiplyAdd(s, x1, c31); c32 = T.MultiplyAdd(s, x2, c32); c33 = T.MultiplyAdd(s, x3, c33);
                s = T.Create(a4[p]);
                c40 = T.MultiplyAdd(s, x0, c40); c41 = T.MultiplyAdd(s, x1, c41); c42 = T.MultiplyAdd(s, x2, c42); c43 = T.MultiplyAdd(s, x3, c43);
                s = T.Create(a5[p]);
                c50 = T.MultiplyAdd(s, x0, c50); c51 = T.MultiplyAdd(s, x1, c51); c52 = T.MultiplyAdd(s, x2, c52); c53 = T.MultiplyAdd(s, x3, c53);
            }

            int step = T.Count;
            Store(c00, row, column); Store(c01, row, column + step); Store(c02, row, column + (2 * step)); Store(c03, row, column + (3 * step));
            Store(c10, row + 1, column); Store(c11, row + 1, column + step); Store(c12, row + 1, column + (2 * step)); Store(c13, row + 1, column + (3 * step));
            Store(c20, row + 2, column); Store(c21, row + 2, column + step); Store(c22, row + 2, column + (2 * step)); Store(c23, row + 2, column + (3 * step));
            Store(c30, row + 3, column); Store(c31, row + 3, column + step); Store(c32, row + 3, column + (2 * step)); Store(c33, row + 3, column + (3 * step));
            Store(c40, row + 4, column); Store(c41, row + 4, column + step); Store(c42, row + 4, column + (2 * step)); Store(c43, row + 4, column + (3 * step));
            Store(c50, row + 5, column); Store(c51, row + 5, column + step); Store(c52, row + 5, column + (2 * step)); Store(c53, row + 5, column + (3 * step));
        }

        private void Tile1<T>(int row, int column)
            where T : struct, ISimd<T>
        {
            float* a0 = a + ((nint)row * lda);
            float* bp = b + column;
            T c0 = T.Zero;
            for (int p = 0; p < k; p++, bp += ldb)
            {
                c0 = T.MultiplyAdd(T.Create(a0[p]), T.Load(ref *bp, 0), c0);
            }

            Store(c0, row, column);
        }

        // sum + bias, then the epilogue's scale, shift and clamp: the operations of AddBias and ConvolutionEpilogue.Apply.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Store<T>(T sum, int row, int column)
            where T : struct, ISimd<T>
        {
            if (bias is not null)
            {
                sum = T.Add(sum, T.Create(bias[row]));
            }

            if (epilogue is not null)
            {
                int channel = epilogueOffset + row;
                if (epilogue.Scale is { } scale)
                {
                    sum = T.MultiplyAdd(sum, T.Create(scale[channel]), T.Create(epilogue.Shift![channel]));
                }

                sum = T.Min(T.Create(epilogue.High), T.Max(T.Create(epilogue.Low), sum));
            }

            T.Store(sum, ref *(c + ((nint)row * ldc) + column), 0);
        }
    }

    /// <summary>Splits a few-columns product's rows between threads, in whole tiles; one per calling thread, with its delegate.</summary>
    private sealed class FewColumnsRunner
    {
        private readonly Action<int> _body;
        private FewColumnsJob _job;
        private int _parts;
        private int _tiles;

        internal FewColumnsRunner() => _body = RunPart;

        internal void Run(in FewColumnsJob job, int parts, int tiles)
        {
            (_job, _parts, _tiles) = (job, parts, tiles);
            try
            {
                WorkerPool.Run(parts, _body);
            }
            finally
            {
                _job = default;
            }
        }

        private void RunPart(int part)
        {
            int first = (int)((long)_tiles * part / _parts) * SplitRows, end = Math.Min(_job.M, (int)((long)_tiles * (part + 1) / _parts) * SplitRows);
            _job.Rows(first, end);
        }
    }
}
