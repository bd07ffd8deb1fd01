using System.Runtime.Intrinsics.X86;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Tensors;

[TestClass]
public sealed class GemmTests : KernelSettingsTests
{
    private static readonly int[] OddSizes = [1, 2, 3, 7, 17, 33];

    private static readonly (int M, int N, int K)[] LargerShapes =
    [
        (65, 100, 257), (257, 65, 100), (100, 257, 65), (128, 300, 37), (61, 33, 600), (7, 4100, 3), (150, 40, 17),
    ];

    [TestMethod]
    public void Multiply_NoTranspose_MatchesDoubleReference() => CheckAllShapes(false, false);

    [TestMethod]
    public void Multiply_TransposedA_MatchesDoubleReference() => CheckAllShapes(true, false);

    [TestMethod]
    public void Multiply_TransposedB_MatchesDoubleReference() => CheckAllShapes(false, true);

    [TestMethod]
    public void Multiply_BothTransposed_MatchesDoubleReference() => CheckAllShapes(true, true);

    [TestMethod]
    [DataRow(nameof(GemmKernel.Portable))]
    [DataRow(nameof(GemmKernel.Avx2))]
    [DataRow(nameof(GemmKernel.Vector512))]
    public void Multiply_EachKernel_MatchesDoubleReferenceForAllTransposes(string kernelName)
    {
        var kernel = Enum.Parse<GemmKernel>(kernelName);
        if (kernel == GemmKernel.Avx2 && !(Avx2.IsSupported && Fma.IsSupported))
        {
            // Without AVX2 and FMA the kernel cannot run here; what matters is that it is never chosen.
            Assert.AreNotEqual(GemmKernel.Avx2, Gemm.ActiveKernel);
            return;
        }

        Gemm.KernelOverride = kernel;
        foreach (bool transposeA in new[] { false, true })
        {
            foreach (bool transposeB in new[] { false, true })
            {
                foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 33, 17), (13, 70, 9), (65, 37, 300), (6, 64, 8), (150, 3, 2), (1, 301, 37), (3, 7, 784), (4, 5, 9) })
                {
                    Check(transposeA, transposeB, m, n, k, accumulate: false, padding: 0);
                    Check(transposeA, transposeB, m, n, k, accumulate: true, padding: 3);
                }
            }
        }
    }

    [TestMethod]
    public void Multiply_Accumulate_AddsProductToExistingValues()
    {
        foreach (var (m, n, k) in new[] { (3, 5, 7), (33, 65, 100), (128, 70, 300) })
        {
            Check(false, true, m, n, k, accumulate: true, padding: 0);
            Check(true, false, m, n, k, accumulate: true, padding: 0);
        }
    }

    [TestMethod]
    public void Multiply_LeadingDimensionsWiderThanMatrices_IgnoresAndKeepsPadding()
    {
        foreach (bool transposeA in new[] { false, true })
        {
            foreach (bool transposeB in new[] { false, true })
            {
                Check(transposeA, transposeB, 17, 33, 65, accumulate: false, padding: 5);
                Check(transposeA, transposeB, 100, 20, 40, accumulate: true, padding: 1);
            }
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Multiply_ZeroDepth_ClearsCOrLeavesItWhenAccumulating(bool accumulate)
    {
        const int M = 3, N = 4, Ldc = 6;
        float[] c = Enumerable.Range(1, M * Ldc).Select(v => (float)v).ToArray();
        float[] expected = (float[])c.Clone();
        if (!accumulate)
        {
            for (int i = 0; i < M; i++)
            {
                Array.Clear(expected, i * Ldc, N);
            }
        }

        Gemm.Multiply(false, false, M, N, 0, ReadOnlySpan<float>.Empty, 0, ReadOnlySpan<float>.Empty, N, c, Ldc, accumulate);

        CollectionAssert.AreEqual(expected, c);
    }

    [TestMethod]
    public void Multiply_EmptyOutput_LeavesCUntouched()
    {
        float[] c = [1f, 2f, 3f];
        float[] a = [1f, 2f, 3f];

        Gemm.Multiply(false, false, 0, 3, 1, ReadOnlySpan<float>.Empty, 1, a, 3, c, 3);
        Gemm.Multiply(false, false, 3, 0, 1, a, 1, ReadOnlySpan<float>.Empty, 0, c, 1);

        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f }, c);
    }

    [TestMethod]
    public void Multiply_TwoThreads_BitIdenticalToOneThread()
    {
        var shapes = new[] { (128, 150, 300), (128, 10, 375), (300, 200, 64), (10, 300, 128), (150, 150, 150), (200, 17, 300) };
        foreach (var (m, n, k) in shapes)
        {
            foreach (bool transposeA in new[] { false, true })
            {
                foreach (bool transposeB in new[] { false, true })
                {
                    var random = new Random(m + n + k);
                    float[] a = RandomValues(random, m * k);
                    float[] b = RandomValues(random, k * n);
                    int lda = transposeA ? m : k, ldb = transposeB ? k : n;
                    float[] one = new float[m * n], two = new float[m * n];

                    ComputeSettings.DegreeOfParallelism = 1;
                    Gemm.Multiply(transposeA, transposeB, m, n, k, a, lda, b, ldb, one, n);
                    ComputeSettings.DegreeOfParallelism = 2;
                    Gemm.Multiply(transposeA, transposeB, m, n, k, a, lda, b, ldb, two, n);

                    CollectionAssert.AreEqual(one, two, $"m={m} n={n} k={k} transposeA={transposeA} transposeB={transposeB}");
                }
            }
        }
    }

    [TestMethod]
    public void Multiply_AfterWarmUp_AllocatesNothing()
    {
        const int M = 128, N = 100, K = 300;
        float[] a = RandomValues(new Random(1), M * K), b = RandomValues(new Random(2), N * K), c = new float[M * N];
        ComputeSettings.DegreeOfParallelism = 2;
        Gemm.Multiply(false, true, M, N, K, a, K, b, K, c, N);
        Gemm.Multiply(false, true, M, N, K, a, K, b, K, c, N, parallel: false);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Gemm.Multiply(false, true, M, N, K, a, K, b, K, c, N);
            Gemm.Multiply(false, true, M, N, K, a, K, b, K, c, N, parallel: false);
        }

        Assert.AreEqual(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [TestMethod]
    public void Multiply_ConcurrentCallers_EachGetTheSequentialResult()
    {
        const int M = 70, N = 90, K = 110, Callers = 4;
        ComputeSettings.DegreeOfParallelism = 2;
        var random = new Random(3);
        float[][] a = Enumerable.Range(0, Callers).Select(_ => RandomValues(random, M * K)).ToArray();
        float[] b = RandomValues(random, K * N);
        float[][] expected = a.Select(x =>
        {
            float[] c = new float[M * N];
            Gemm.Multiply(false, false, M, N, K, x, K, b, N, c, N, parallel: false);
            return c;
        }).ToArray();
        float[][] actual = Enumerable.Range(0, Callers).Select(_ => new float[M * N]).ToArray();

        Parallel.For(0, Callers * 8, new ParallelOptions { MaxDegreeOfParallelism = Callers }, i =>
            Gemm.Multiply(false, false, M, N, K, a[i % Callers], K, b, N, actual[i % Callers], N));

        for (int i = 0; i < Callers; i++)
        {
            CollectionAssert.AreEqual(expected[i], actual[i], $"caller {i}");
        }
    }

    [TestMethod]
    public void Multiply_FewRowsTimesTransposedB_MatchesDoubleReferenceOnAnyThreadCount()
    {
        // Batch-1 to batch-4 dense layers take the dot-product path; n·k is large enough to split across threads.
        foreach (int m in new[] { 1, 2, 3, 4 })
        {
            foreach (int k in new[] { 8, 37, 784 })
            {
                ComputeSettings.DegreeOfParallelism = 1;
                Check(false, true, m, 300, k, accumulate: false, padding: 0);
                Check(false, true, m, 300, k, accumulate: true, padding: 3);
                ComputeSettings.DegreeOfParallelism = 2;
                Check(false, true, m, 300, k, accumulate: true, padding: 3);

                var random = new Random(m + k);
                float[] a = RandomValues(random, m * k), b = RandomValues(random, 300 * k);
                float[] one = new float[m * 300], two = new float[m * 300];
                ComputeSettings.DegreeOfParallelism = 1;
                Gemm.Multiply(false, true, m, 300, k, a, k, b, k, one, 300);
                ComputeSettings.DegreeOfParallelism = 2;
                Gemm.Multiply(false, true, m, 300, k, a, k, b, k, two, 300);
                CollectionAssert.AreEqual(one, two, $"m={m} k={k}");
            }
        }
    }

    [TestMethod]
    public void Multiply_FewRowsTimesPlainB_MatchesDoubleReference()
    {
        // Small convolutions (6 or 16 filters, 5x5 kernels, 28x28 or 10x10 outputs) read B in place.
        foreach (var (m, n, k) in new[] { (6, 784, 25), (16, 100, 150), (4, 16, 1), (5, 47, 9), (16, 790, 31) })
        {
            Check(false, false, m, n, k, accumulate: false, padding: 0);
            Check(false, false, m, n, k, accumulate: true, padding: 5);
        }
    }

    [TestMethod]
    public void Multiply_OneRowAfterWarmUp_AllocatesNothing()
    {
        float[] a = RandomValues(new Random(1), 784), b = RandomValues(new Random(2), 300 * 784), c = new float[300];
        ComputeSettings.DegreeOfParallelism = 2;
        Gemm.Multiply(false, true, 1, 300, 784, a, 784, b, 784, c, 300);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Gemm.Multiply(false, true, 1, 300, 784, a, 784, b, 784, c, 300);
        }

        Assert.AreEqual(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [TestMethod]
    public void Multiply_SpanTooShort_ThrowsArgumentException()
    {
        float[] small = new float[5];
        float[] enough = new float[6];

        var exception = Assert.ThrowsException<ArgumentException>(() => Gemm.Multiply(false, false, 2, 3, 3, small, 3, new float[9], 3, enough, 3));

        Assert.AreEqual("a", exception.ParamName);
    }

    [TestMethod]
    public void Multiply_LeadingDimensionBelowWidth_ThrowsArgumentOutOfRangeException()
    {
        var exception = Assert.ThrowsException<ArgumentOutOfRangeException>(
            () => Gemm.Multiply(false, true, 2, 3, 4, new float[8], 4, new float[12], 3, new float[6], 3));

        Assert.AreEqual("ldb", exception.ParamName);
    }

    private static void CheckAllShapes(bool transposeA, bool transposeB)
    {
        foreach (int m in OddSizes)
        {
            foreach (int n in OddSizes)
            {
                foreach (int k in OddSizes)
                {
                    Check(transposeA, transposeB, m, n, k, accumulate: false, padding: 0);
                }
            }
        }

        foreach (var (m, n, k) in LargerShapes)
        {
            Check(transposeA, transposeB, m, n, k, accumulate: false, padding: 0);
        }
    }

    /// <summary>
    /// Multiplies random matrices stored with <paramref name="padding"/> extra columns (filled with NaN, so that reading
    /// them would show) and compares with a double-precision reference, scaled by the sum of the absolute products.
    /// </summary>
    private static void Check(bool transposeA, bool transposeB, int m, int n, int k, bool accumulate, int padding)
    {
        var random = new Random((m * 7919) + (n * 104729) + k + (transposeA ? 1 : 0) + (transposeB ? 2 : 0));
        int aRows = transposeA ? k : m, aColumns = transposeA ? m : k;
        int bRows = transposeB ? n : k, bColumns = transposeB ? k : n;
        int lda = aColumns + padding, ldb = bColumns + padding, ldc = n + padding;
        float[] a = PaddedRandom(random, aRows, aColumns, lda);
        float[] b = PaddedRandom(random, bRows, bColumns, ldb);
        float[] c = PaddedRandom(random, m, n, ldc);
        float[] initial = (float[])c.Clone();

        Gemm.Multiply(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

        double tolerance = 1e-5 * Math.Max(1.0, k / 32.0);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? initial[(i * ldc) + j] : 0.0;
                double magnitude = Math.Abs(sum);
                for (int p = 0; p < k; p++)
                {
                    double product = (double)(transposeA ? a[(p * lda) + i] : a[(i * lda) + p]) * (transposeB ? b[(j * ldb) + p] : b[(p * ldb) + j]);
                    sum += product;
                    magnitude += Math.Abs(product);
                }

                float actual = c[(i * ldc) + j];
                Assert.IsTrue(
                    Math.Abs(actual - sum) <= tolerance * Math.Max(magnitude, 1e-3),
                    $"C[{i},{j}] = {actual}, expected {sum}; m={m} n={n} k={k} transposeA={transposeA} transposeB={transposeB} accumulate={accumulate} padding={padding}");
            }

            for (int j = n; j < ldc && (i * ldc) + j < c.Length; j++)
            {
                Assert.IsTrue(float.IsNaN(c[(i * ldc) + j]), $"The padding of C at [{i},{j}] was written.");
            }
        }
    }

    private static float[] PaddedRandom(Random random, int rows, int columns, int stride)
    {
        float[] values = new float[Math.Max(0, ((rows - 1) * stride) + columns)];
        Array.Fill(values, float.NaN);
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < columns; j++)
            {
                values[(r * stride) + j] = (float)((random.NextDouble() * 2) - 1);
            }
        }

        return values;
    }

    private static float[] RandomValues(Random random, int count)
    {
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
