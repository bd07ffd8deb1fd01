using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Pruning.Tensors;

/// <content>
/// The register-blocked micro-kernels. Each computes a <see cref="RowsPerTile"/>×NR tile of C from a packed A
/// panel (<see cref="RowsPerTile"/> values per depth step) and a packed B panel (NR values per depth step),
/// keeping the tile in twelve vector accumulators: per depth step it loads two vectors of B, broadcasts each
/// of the six A values, and issues twelve fused multiply-adds.
/// </content>
internal static partial class Gemm
{
    /// <summary>A micro-kernel, used as a generic argument so that each one gets its own specialized blocking loops.</summary>
    private unsafe interface IMicroKernel
    {
        /// <summary>Gets the columns of C in one tile (NR).</summary>
        static abstract int ColumnCount { get; }

        /// <summary>Computes one full tile: C = A·B, or C += A·B when <paramref name="accumulate"/> is set.</summary>
        /// <param name="depth">The depth of the packed panels.</param>
        /// <param name="a">The packed A panel.</param>
        /// <param name="b">The packed B panel.</param>
        /// <param name="c">The tile's first element in C.</param>
        /// <param name="ldc">C's row stride.</param>
        /// <param name="accumulate">Whether to add to C instead of overwriting it.</param>
        static abstract void Run(int depth, float* a, float* b, float* c, nint ldc, bool accumulate);
    }

    /// <summary>
    /// Asks for the tile's rows of C to be brought into L1 while the kernel runs, so that the additions and stores at
    /// its end do not wait for them: C is usually far larger than the caches.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchTile(float* c, nint ldc, int columns)
    {
        if (Sse.IsSupported)
        {
            for (int r = 0; r < RowsPerTile; r++, c += ldc)
            {
                // The first and the last element of each row: a row of 64 bytes or more spans two or three lines.
                Sse.Prefetch0(c);
                Sse.Prefetch0(c + columns - 1);
                if (columns > 16)
                {
                    Sse.Prefetch0(c + 16);
                }
            }
        }
    }

    /// <summary>The AVX2 + FMA kernel: 6×16 tiles in twelve ymm accumulators.</summary>
    private readonly unsafe struct Avx2Kernel : IMicroKernel
    {
        /// <inheritdoc/>
        public static int ColumnCount => 16;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(int depth, float* a, float* b, float* c, nint ldc, bool accumulate)
        {
            PrefetchTile(c, ldc, 16);
            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            for (int p = 0; p < depth; p++)
            {
                var b0 = Avx.LoadAlignedVector256(b);
                var b1 = Avx.LoadAlignedVector256(b + 8);
                var av = Vector256.Create(a[0]);
                c00 = Fma.MultiplyAdd(av, b0, c00);
                c01 = Fma.MultiplyAdd(av, b1, c01);
                av = Vector256.Create(a[1]);
                c10 = Fma.MultiplyAdd(av, b0, c10);
                c11 = Fma.MultiplyAdd(av, b1, c11);
                av = Vector256.Create(a[2]);
                c20 = Fma.MultiplyAdd(av, b0, c20);
                c21 = Fma.MultiplyAdd(av, b1, c21);
                av = Vector256.Create(a[3]);
                c30 = Fma.MultiplyAdd(av, b0, c30);
                c31 = Fma.MultiplyAdd(av, b1, c31);
                av = Vector256.Create(a[4]);
                c40 = Fma.MultiplyAdd(av, b0, c40);
                c41 = Fma.MultiplyAdd(av, b1, c41);
                av = Vector256.Create(a[5]);
                c50 = Fma.MultiplyAdd(av, b0, c50);
                c51 = Fma.MultiplyAdd(av, b1, c51);
                a += 6;
                b += 16;
            }

            StoreRow(c, c00, c01, accumulate);
            StoreRow(c + ldc, c10, c11, accumulate);
            StoreRow(c + (2 * ldc), c20, c21, accumulate);
            StoreRow(c + (3 * ldc), c30, c31, accumulate);
            StoreRow(c + (4 * ldc), c40, c41, accumulate);
            StoreRow(c + (5 * ldc), c50, c51, accumulate);
        }

        /// <summary>Stores (or adds to C, when <paramref name="accumulate"/> is set) one row of the tile.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreRow(float* c, Vector256<float> left, Vector256<float> right, bool accumulate)
        {
            if (accumulate)
            {
                left += Vector256.Load(c);
                right += Vector256.Load(c + 8);
            }

            Vector256.Store(left, c);
            Vector256.Store(right, c + 8);
        }
    }

    /// <summary>The AVX-512 kernel: 6×32 tiles in twelve zmm accumulators, written with the portable <see cref="Vector512"/> API.</summary>
    private readonly unsafe struct Vector512Kernel : IMicroKernel
    {
        /// <inheritdoc/>
        public static int ColumnCount => 32;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(int depth, float* a, float* b, float* c, nint ldc, bool accumulate)
        {
            PrefetchTile(c, ldc, 32);
            Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            for (int p = 0; p < depth; p++)
            {
                var b0 = Vector512.Load(b);
                var b1 = Vector512.Load(b + 16);
                var av = Vector512.Create(a[0]);
                c00 = Vector512.FusedMultiplyAdd(av, b0, c00);
                c01 = Vector512.FusedMultiplyAdd(av, b1, c01);
                av = Vector512.Create(a[1]);
                c10 = Vector512.FusedMultiplyAdd(av, b0, c10);
                c11 = Vector512.FusedMultiplyAdd(av, b1, c11);
                av = Vector512.Create(a[2]);
                c20 = Vector512.FusedMultiplyAdd(av, b0, c20);
                c21 = Vector512.FusedMultiplyAdd(av, b1, c21);
                av = Vector512.Create(a[3]);
                c30 = Vector512.FusedMultiplyAdd(av, b0, c30);
                c31 = Vector512.FusedMultiplyAdd(av, b1, c31);
                av = Vector512.Create(a[4]);
                c40 = Vector512.FusedMultiplyAdd(av, b0, c40);
                c41 = Vector512.FusedMultiplyAdd(av, b1, c41);
                av = Vector512.Create(a[5]);
                c50 = Vector512.FusedMultiplyAdd(av, b0, c50);
                c51 = Vector512.FusedMultiplyAdd(av, b1, c51);
                a += 6;
                b += 32;
            }

            StoreRow(c, c00, c01, accumulate);
            StoreRow(c + ldc, c10, c11, accumulate);
            StoreRow(c + (2 * ldc), c20, c21, accumulate);
            StoreRow(c + (3 * ldc), c30, c31, accumulate);
            StoreRow(c + (4 * ldc), c40, c41, accumulate);
            StoreRow(c + (5 * ldc), c50, c51, accumulate);
        }

        /// <summary>Stores (or adds to C, when <paramref name="accumulate"/> is set) one row of the tile.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreRow(float* c, Vector512<float> left, Vector512<float> right, bool accumulate)
        {
            if (accumulate)
            {
                left += Vector512.Load(c);
                right += Vector512.Load(c + 16);
            }

            Vector512.Store(left, c);
            Vector512.Store(right, c + 16);
        }
    }

    /// <summary>The portable kernel: 6×8 tiles in twelve <see cref="Vector128{T}"/> accumulators.</summary>
    /// <remarks>
    /// <see cref="Vector128.MultiplyAddEstimate(Vector128{float}, Vector128{float}, Vector128{float})"/> fuses where the
    /// processor can and multiplies then adds where it cannot, so it never falls back to a slow exact emulation.
    /// </remarks>
    private readonly unsafe struct PortableKernel : IMicroKernel
    {
        /// <inheritdoc/>
        public static int ColumnCount => 8;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(int depth, float* a, float* b, float* c, nint ldc, bool accumulate)
        {
            Vector128<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector128<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            for (int p = 0; p < depth; p++)
            {
                var b0 = Vector128.Load(b);
                var b1 = Vector128.Load(b + 4);
                var av = Vector128.Create(a[0]);
                c00 = Vector128.MultiplyAddEstimate(av, b0, c00);
                c01 = Vector128.MultiplyAddEstimate(av, b1, c01);
                av = Vector128.Create(a[1]);
                c10 = Vector128.MultiplyAddEstimate(av, b0, c10);
                c11 = Vector128.MultiplyAddEstimate(av, b1, c11);
                av = Vector128.Create(a[2]);
                c20 = Vector128.MultiplyAddEstimate(av, b0, c20);
                c21 = Vector128.MultiplyAddEstimate(av, b1, c21);
                av = Vector128.Create(a[3]);
                c30 = Vector128.MultiplyAddEstimate(av, b0, c30);
                c31 = Vector128.MultiplyAddEstimate(av, b1, c31);
                av = Vector128.Create(a[4]);
                c40 = Vector128.MultiplyAddEstimate(av, b0, c40);
                c41 = Vector128.MultiplyAddEstimate(av, b1, c41);
                av = Vector128.Create(a[5]);
                c50 = Vector128.MultiplyAddEstimate(av, b0, c50);
                c51 = Vector128.MultiplyAddEstimate(av, b1, c51);
                a += 6;
                b += 8;
            }

            StoreRow(c, c00, c01, accumulate);
            StoreRow(c + ldc, c10, c11, accumulate);
            StoreRow(c + (2 * ldc), c20, c21, accumulate);
            StoreRow(c + (3 * ldc), c30, c31, accumulate);
            StoreRow(c + (4 * ldc), c40, c41, accumulate);
            StoreRow(c + (5 * ldc), c50, c51, accumulate);
        }

        /// <summary>Stores (or adds to C, when <paramref name="accumulate"/> is set) one row of the tile.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreRow(float* c, Vector128<float> left, Vector128<float> right, bool accumulate)
        {
            if (accumulate)
            {
                left += Vector128.Load(c);
                right += Vector128.Load(c + 4);
            }

            Vector128.Store(left, c);
            Vector128.Store(right, c + 4);
        }
    }
}
