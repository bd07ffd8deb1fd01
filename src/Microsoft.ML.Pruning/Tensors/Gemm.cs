using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Pruning.Tensors;

/// <summary>Single-precision general matrix multiply on row-major matrices.</summary>
/// <remarks>
/// <para>
/// The product is blocked BLIS-style: a KC×NC slice of op(B) is packed into column panels NR wide, an MC×KC
/// block of op(A) into row panels <see cref="RowsPerTile"/> high, and a register-blocked FMA micro-kernel
/// computes one <see cref="RowsPerTile"/>×NR tile of C at a time from the two panels (see the partial files
/// Gemm.Packing.cs, Gemm.Blocking.cs and the Gemm.Kernel*.cs files).
/// </para>
/// <para>
/// Threads split C statically into blocks of whole tiles, by columns or by rows, whichever leaves the busiest
/// thread the least work; never the shared dimension, which is always cut into the same KC blocks. Every element of C is therefore computed by
/// the same sequence of fused multiply-adds whatever the thread count, so results are bit-identical for any
/// <see cref="ComputeSettings.DegreeOfParallelism"/>.
/// </para>
/// </remarks>
internal static partial class Gemm
{
    /// <summary>The rows of C that one micro-kernel call computes, for every kernel.</summary>
    internal const int RowsPerTile = 6;

    /// <summary>Below this many multiply-adds (m·n·k) a product runs on the calling thread alone.</summary>
    private const long ParallelThreshold = 64 * 64 * 64;

    /// <summary>The fastest kernel this processor supports.</summary>
    private static readonly GemmKernel BestKernel =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmKernel.Vector512
        : Fma.IsSupported && Avx2.IsSupported ? GemmKernel.Avx2
        : GemmKernel.Portable;

    /// <summary>Gets or sets a kernel that replaces the automatic choice; for tests and benchmarks only.</summary>
    internal static GemmKernel? KernelOverride { get; set; }

    /// <summary>Gets the kernel that <see cref="Multiply"/> uses now.</summary>
    internal static GemmKernel ActiveKernel => KernelOverride ?? BestKernel;

    /// <summary>
    /// Computes C = op(A) · op(B), or C += op(A) · op(B) when <paramref name="accumulate"/> is set.
    /// op(A) is m×k, op(B) is k×n, C is m×n; all row-major with the given leading dimensions
    /// (the row stride of the matrix as stored, before any transpose).
    /// </summary>
    /// <param name="transposeA">Whether A is stored k×m and used transposed.</param>
    /// <param name="transposeB">Whether B is stored n×k and used transposed.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The shared dimension.</param>
    /// <param name="a">A's storage.</param>
    /// <param name="lda">A's row stride as stored.</param>
    /// <param name="b">B's storage.</param>
    /// <param name="ldb">B's row stride as stored.</param>
    /// <param name="c">C's storage.</param>
    /// <param name="ldc">C's row stride.</param>
    /// <param name="accumulate">Whether to add to C instead of overwriting it.</param>
    /// <param name="parallel">Whether to use up to <see cref="ComputeSettings.DegreeOfParallelism"/> threads.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension is smaller than its matrix's stored width.</exception>
    /// <exception cref="ArgumentException">A span is too short for its matrix.</exception>
    public static unsafe void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate = false, bool parallel = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckOperand(a.Length, transposeA ? k : m, transposeA ? m : k, lda, nameof(a), nameof(lda));
        CheckOperand(b.Length, transposeB ? n : k, transposeB ? k : n, ldb, nameof(b), nameof(ldb));
        CheckOperand(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    c.Slice(i * ldc, n).Clear();
                }
            }

            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            if (UseSmallRows(transposeA, transposeB, m, k))
            {
                MultiplySmallRows(m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, parallel);
                return;
            }

            if (UseUnpacked(transposeA, transposeB, m, n, k))
            {
                MultiplyUnpacked(m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
                return;
            }

            var job = new Job(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, ActiveKernel);
            int parts = parallel && (long)m * n * k >= ParallelThreshold ? WorkerPool.Parts : 1;
            if (parts <= 1)
            {
                job.Execute(0, m, 0, n);
            }
            else
            {
                ParallelJob.Run(job, parts);
            }
        }
    }

    /// <summary>
    /// Computes C = op(A) · B, or C += op(A) · B, where B (k×n) is never stored: <paramref name="source"/> packs its
    /// panels as the blocked product needs them (a convolution's columns gathered straight from its input). The
    /// panels are the ones <see cref="Multiply"/> would pack from a stored B, so the result is the same, bit for bit.
    /// </summary>
    /// <param name="transposeA">Whether A is stored k×m and used transposed.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The shared dimension.</param>
    /// <param name="a">A's storage.</param>
    /// <param name="lda">A's row stride as stored.</param>
    /// <param name="source">Packs op(B).</param>
    /// <param name="c">C's storage.</param>
    /// <param name="ldc">C's row stride.</param>
    /// <param name="accumulate">Whether to add to C instead of overwriting it.</param>
    public static unsafe void MultiplyFromSource(bool transposeA, int m, int n, int k, ReadOnlySpan<float> a, int lda, PanelSource source, Span<float> c, int ldc, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckOperand(a.Length, transposeA ? k : m, transposeA ? m : k, lda, nameof(a), nameof(lda));
        CheckOperand(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            for (int i = 0; i < m && !accumulate; i++)
            {
                c.Slice(i * ldc, n).Clear();
            }

            return;
        }

        fixed (float* pa = a, pc = c)
        {
            var job = new Job(transposeA, false, m, n, k, pa, lda, null, n, pc, ldc, accumulate, ActiveKernel, source);
            int parts = (long)m * n * k >= ParallelThreshold ? WorkerPool.Parts : 1;
            if (parts <= 1)
            {
                job.Execute(0, m, 0, n);
            }
            else
            {
                ParallelJob.Run(job, parts);
            }
        }
    }

    /// <summary>Checks that a rows×columns matrix with row stride <paramref name="stride"/> fits in <paramref name="length"/> values.</summary>
    private static void CheckOperand(int length, int rows, int columns, int stride, string name, string strideName)
    {
        if (rows == 0 || columns == 0)
        {
            return;
        }

        if (stride < columns)
        {
            throw new ArgumentOutOfRangeException(strideName, stride, $"The leading dimension must be at least the stored row width {columns}.");
        }

        long needed = ((long)(rows - 1) * stride) + columns;
        if (length < needed)
        {
            throw new ArgumentException($"The span holds {length} values but a {rows}×{columns} matrix with leading dimension {stride} needs {needed}.", name);
        }
    }

    /// <summary>
    /// Splits C between threads and runs the parts through <see cref="WorkerPool"/>. One instance per calling
    /// thread is reused, with its delegate, so a parallel call allocates nothing.
    /// </summary>
    private sealed class ParallelJob
    {
        [ThreadStatic]
        private static ParallelJob? _current;

        private readonly Action<int> _body;
        private Job _job;
        private bool _splitColumns;
        private int _tiles;
        private int _parts;

        private ParallelJob() => _body = RunPart;

        /// <summary>Runs <paramref name="job"/> split into at most <paramref name="parts"/> static parts.</summary>
        /// <param name="job">The product.</param>
        /// <param name="parts">The number of parts the pool allows.</param>
        public static void Run(in Job job, int parts)
        {
            var state = _current ??= new ParallelJob();
            int columnTiles = (job.N + job.ColumnsPerTile - 1) / job.ColumnsPerTile;
            int rowTiles = (job.M + RowsPerTile - 1) / RowsPerTile;

            state._splitColumns = PreferColumnSplit(job, rowTiles, columnTiles, parts);
            state._tiles = state._splitColumns ? columnTiles : rowTiles;
            state._parts = Math.Min(parts, state._tiles);
            state._job = job;
            if (state._parts <= 1)
            {
                job.Execute(0, job.M, 0, job.N);
                return;
            }

            try
            {
                WorkerPool.Run(state._parts, state._body);
            }
            finally
            {
                state._job = default;
            }
        }

        /// <summary>
        /// Chooses the split whose busiest part has the least work: its tiles (whole tiles, so a split that leaves
        /// one part an extra tile costs that tile), plus the packing that the split makes it do. Splitting columns
        /// makes every part pack all of A and its own columns of B; splitting rows, its own rows of A and all of B.
        /// </summary>
        private static bool PreferColumnSplit(in Job job, int rowTiles, int columnTiles, int parts)
        {
            // Packing one value costs about as much as six multiply-adds (measured on the Dense shapes).
            const long PackCost = 6;
            int nr = job.ColumnsPerTile;
            long k = job.K;
            long tileCost = RowsPerTile * nr * k;
            long columnShare = (columnTiles + parts - 1) / parts;
            long rowShare = (rowTiles + parts - 1) / parts;
            long columnSplit = (rowTiles * columnShare * tileCost) + (PackCost * k * (job.M + (columnShare * nr)));
            long rowSplit = (rowShare * columnTiles * tileCost) + (PackCost * k * ((rowShare * RowsPerTile) + job.N));
            return columnSplit <= rowSplit;
        }

        /// <summary>Computes the tiles of part <paramref name="part"/>: an equal share of the row or column tiles.</summary>
        private void RunPart(int part)
        {
            int first = (int)((long)part * _tiles / _parts);
            int last = (int)((long)(part + 1) * _tiles / _parts);
            if (_splitColumns)
            {
                int tile = _job.ColumnsPerTile;
                _job.Execute(0, _job.M, first * tile, Math.Min(_job.N, last * tile));
            }
            else
            {
                _job.Execute(first * RowsPerTile, Math.Min(_job.M, last * RowsPerTile), 0, _job.N);
            }
        }
    }
}
