using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Pruning.Tensors;

/// <content>The cache blocking loops around the micro-kernel, and the per-thread packing buffers.</content>
internal static partial class Gemm
{
    /// <summary>The most depth (KC) packed at once: a KC×NR panel of B stays in L1.</summary>
    private const int MaxDepth = 256;

    /// <summary>The most rows of A (MC) packed at once, a multiple of <see cref="RowsPerTile"/>: the MC×KC block stays in L2.</summary>
    private const int MaxHeight = 144;

    /// <summary>The most columns of B (NC) packed at once, a multiple of every kernel's NR: the KC×NC slice stays in L3.</summary>
    private const int MaxWidth = 4096;

    /// <summary>One product: the operands as raw pointers, the flags and the kernel that computes it.</summary>
    private readonly unsafe struct Job
    {
        /// <summary>A's storage, pinned for the duration of the call.</summary>
        public readonly float* A;

        /// <summary>B's storage, pinned for the duration of the call.</summary>
        public readonly float* B;

        /// <summary>C's storage, pinned for the duration of the call.</summary>
        public readonly float* C;

        /// <summary>Rows of C.</summary>
        public readonly int M;

        /// <summary>Columns of C.</summary>
        public readonly int N;

        /// <summary>The shared dimension.</summary>
        public readonly int K;

        /// <summary>A's row stride as stored.</summary>
        public readonly int Lda;

        /// <summary>B's row stride as stored.</summary>
        public readonly int Ldb;

        /// <summary>C's row stride.</summary>
        public readonly int Ldc;

        /// <summary>Whether A is stored k×m.</summary>
        public readonly bool TransposeA;

        /// <summary>Whether B is stored n×k.</summary>
        public readonly bool TransposeB;

        /// <summary>Whether the product is added to C.</summary>
        public readonly bool Accumulate;

        /// <summary>The micro-kernel that computes the tiles.</summary>
        public readonly GemmKernel Kernel;

        /// <summary>Packs op(B)'s panels in place of <see cref="B"/> (an implicit im2col), or <see langword="null"/>.</summary>
        public readonly PanelSource? Source;

        /// <summary>Initializes a new instance of the <see cref="Job"/> struct; the parameters are those of <see cref="Multiply"/>.</summary>
        public Job(
            bool transposeA, bool transposeB, int m, int n, int k, float* a, int lda, float* b, int ldb,
            float* c, int ldc, bool accumulate, GemmKernel kernel, PanelSource? source = null)
        {
            Source = source;
            (TransposeA, TransposeB, M, N, K) = (transposeA, transposeB, m, n, k);
            (Lda, Ldb, Ldc) = (lda, ldb, ldc);
            A = a;
            B = b;
            C = c;
            (Accumulate, Kernel) = (accumulate, kernel);
        }

        /// <summary>Gets the columns of C that one micro-kernel call computes (NR).</summary>
        public int ColumnsPerTile => Kernel switch
        {
            GemmKernel.Vector512 => Vector512Kernel.ColumnCount,
            GemmKernel.Avx2 => Avx2Kernel.ColumnCount,
            _ => PortableKernel.ColumnCount,
        };

        /// <summary>Computes the block of C in rows [<paramref name="i0"/>, <paramref name="i1"/>) and columns [<paramref name="j0"/>, <paramref name="j1"/>).</summary>
        public void Execute(int i0, int i1, int j0, int j1)
        {
            switch (Kernel)
            {
                case GemmKernel.Vector512:
                    Execute<Vector512Kernel>(i0, i1, j0, j1);
                    break;
                case GemmKernel.Avx2:
                    Execute<Avx2Kernel>(i0, i1, j0, j1);
                    break;
                default:
                    Execute<PortableKernel>(i0, i1, j0, j1);
                    break;
            }
        }

        /// <summary>The BLIS loops for one kernel: NC slices of B, KC blocks of depth, MC blocks of A.</summary>
        private void Execute<TKernel>(int i0, int i1, int j0, int j1)
            where TKernel : struct, IMicroKernel
        {
            int nr = TKernel.ColumnCount;
            bool simd = Kernel != GemmKernel.Portable && Avx.IsSupported;

            // Equal KC blocks that depend on k alone, so every element sees the same summation order.
            int depthBlocks = (K + MaxDepth - 1) / MaxDepth;
            int depthStep = (K + depthBlocks - 1) / depthBlocks;
            int widthStep = Math.Min(MaxWidth, j1 - j0);
            int heightStep = Math.Min(MaxHeight, i1 - i0);
            var buffers = PackBuffers.Current;
            float* packedB = buffers.GetB(depthStep * RoundUp(widthStep, nr));
            float* packedA = buffers.GetA(depthStep * RoundUp(heightStep, RowsPerTile));
            float* tile = stackalloc float[RowsPerTile * Vector512Kernel.ColumnCount];

            for (int jc = j0; jc < j1; jc += widthStep)
            {
                int width = Math.Min(widthStep, j1 - jc);
                for (int pc = 0; pc < K; pc += depthStep)
                {
                    int depth = Math.Min(depthStep, K - pc);
                    bool load = Accumulate || pc > 0;
                    for (int ic = i0; ic < i1; ic += heightStep)
                    {
                        int height = Math.Min(heightStep, i1 - ic);
                        float* c = C + ((nint)ic * Ldc) + jc;
                        PackA(TransposeA, A, Lda, ic, height, pc, depth, packedA, simd);
                        if (ic > i0)
                        {
                            Macro<TKernel>(packedA, packedB, depth, height, width, c, tile, load);
                            continue;
                        }

                        // The first block of rows packs each panel of B just before it uses it, while the panel
                        // is still in L1; later blocks reuse the packed slice.
                        for (int jr = 0; jr < width; jr += nr)
                        {
                            int columns = Math.Min(nr, width - jr);
                            float* panelB = packedB + ((nint)jr * depth);
                            if (Source is null)
                            {
                                PackB(TransposeB, B, Ldb, pc, depth, jc + jr, columns, panelB, nr, simd);
                            }
                            else
                            {
                                Source.Pack(pc, depth, jc + jr, columns, panelB, nr);
                            }
                            Macro<TKernel>(packedA, panelB, depth, height, columns, c + jr, tile, load);
                        }
                    }
                }
            }
        }

        /// <summary>Runs the micro-kernel over one packed MC×KC block of A and KC×NC slice of B.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Macro<TKernel>(float* packedA, float* packedB, int depth, int height, int width, float* c, float* tile, bool load)
            where TKernel : struct, IMicroKernel
        {
            int nr = TKernel.ColumnCount;
            nint ldc = Ldc;
            for (int jr = 0; jr < width; jr += nr)
            {
                int columns = Math.Min(nr, width - jr);
                float* panelB = packedB + ((nint)jr * depth);
                for (int ir = 0; ir < height; ir += RowsPerTile)
                {
                    int rows = Math.Min(RowsPerTile, height - ir);
                    float* panelA = packedA + ((nint)ir * depth);
                    float* target = c + ((nint)ir * ldc) + jr;
                    if (rows == RowsPerTile && columns == nr)
                    {
                        TKernel.Run(depth, panelA, panelB, target, ldc, load);
                    }
                    else
                    {
                        // Edge tile: the same kernel into a scratch tile (the packing zero-padded the panels),
                        // then only the valid part goes to C, with the same additions as a full tile.
                        TKernel.Run(depth, panelA, panelB, tile, nr, false);
                        MergeTile(tile, nr, target, ldc, rows, columns, load);
                    }
                }
            }
        }
    }

    /// <summary>Rounds <paramref name="value"/> up to a multiple of <paramref name="multiple"/>.</summary>
    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>Writes (or adds, when <paramref name="load"/> is set) the valid rows and columns of a scratch tile to C.</summary>
    private static unsafe void MergeTile(float* tile, int nr, float* c, nint ldc, int rows, int columns, bool load)
    {
        for (int r = 0; r < rows; r++)
        {
            float* source = tile + (r * nr);
            float* target = c + (r * ldc);
            for (int j = 0; j < columns; j++)
            {
                target[j] = load ? target[j] + source[j] : source[j];
            }
        }
    }

    /// <summary>
    /// The packing buffers of one thread, grown on demand and reused by every later product on that thread.
    /// They are pinned arrays on the pinned object heap, aligned to 64 bytes, and are freed with the thread.
    /// </summary>
    private sealed unsafe class PackBuffers
    {
        /// <summary>Extra floats past the requested size, for alignment.</summary>
        private const int Slack = 16;

        [ThreadStatic]
        private static PackBuffers? _current;

        private float[]? _arrayA;
        private float[]? _arrayB;
        private float* _a;
        private float* _b;
        private int _capacityA;
        private int _capacityB;

        /// <summary>Gets the buffers of the calling thread.</summary>
        public static PackBuffers Current => _current ??= new PackBuffers();

        /// <summary>Gets a 64-byte aligned buffer of at least <paramref name="count"/> floats for packed A.</summary>
        public float* GetA(int count)
        {
            if (count > _capacityA)
            {
                _a = Allocate(count, out _arrayA, out _capacityA);
            }

            return _a;
        }

        /// <summary>Gets a 64-byte aligned buffer of at least <paramref name="count"/> floats for packed B.</summary>
        public float* GetB(int count)
        {
            if (count > _capacityB)
            {
                _b = Allocate(count, out _arrayB, out _capacityB);
            }

            return _b;
        }

        /// <summary>Allocates a pinned array of at least <paramref name="count"/> floats and returns its first 64-byte aligned element.</summary>
        private static float* Allocate(int count, out float[] array, out int capacity)
        {
            // Grow in powers of two so that a sequence of slightly larger products reallocates only a few times.
            capacity = (int)Math.Min(Array.MaxLength - Slack, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)count));
            array = GC.AllocateUninitializedArray<float>(capacity + Slack, pinned: true);
            nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
            return (float*)((address + 63) & ~(nint)63);
        }
    }
}
