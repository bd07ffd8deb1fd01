namespace Microsoft.ML.Pruning.Tensors;

/// <summary>Single-precision general matrix multiply on row-major matrices.</summary>
internal static class Gemm
{
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
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate = false, bool parallel = true)
    {
        // Reference implementation; replaced by the blocked kernel.
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transposeA ? a[(p * lda) + i] : a[(i * lda) + p];
                    float bv = transposeB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += av * bv;
                }

                c[(i * ldc) + j] = accumulate ? c[(i * ldc) + j] + sum : sum;
            }
        }
    }
}
