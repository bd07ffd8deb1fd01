using System.Runtime.Intrinsics.X86;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Tensors;

/// <summary>
/// The few-columns product (C = A · B + bias, then a clamp or a scale, shift and clamp, for 8 to 64 columns) against a
/// plain loop in double, over odd shapes (rows not a multiple of the 8-row tile, columns not a whole number of vectors,
/// depth 1), with row strides wider than the matrices, on the Vector512, AVX2 and portable kernels; and bit for bit
/// the same on one and two threads.
/// </summary>
[TestClass]
public sealed class GemmFewColumnsTests : KernelSettingsTests
{
    [TestMethod]
    [DataRow(1, 8, 1)]
    [DataRow(7, 9, 5)]
    [DataRow(8, 16, 96)]
    [DataRow(13, 17, 33)]
    [DataRow(17, 35, 64)]
    [DataRow(25, 64, 7)]
    [DataRow(9, 12, 300)]
    [DataRow(11, 49, 40)]
    [DataRow(6, 57, 9)]
    [DataRow(20, 64, 3)]
    public void MultiplyFewColumns_MatchesThePlainLoop_WithBiasAndEpilogue_OnEveryKernel(int m, int n, int k)
    {
        var random = new Random((m * 1000) + (n * 10) + k);
        const int Padding = 3;
        var a = Values(random, m * (k + Padding));
        var b = Values(random, k * (n + Padding));
        var bias = Values(random, m);
        var scale = Values(random, m + 2);
        var shift = Values(random, m + 2);
        foreach (var epilogue in new ConvolutionEpilogue?[] { null, new(null, null, 0f, float.PositiveInfinity), new(scale, shift, -0.5f, 0.75f) })
        {
            foreach (bool withBias in new[] { false, true })
            {
                var expected = Reference(m, n, k, a, k + Padding, b, n + Padding, withBias ? bias : null, epilogue, 2);
                foreach (var kernel in Kernels())
                {
                    Gemm.KernelOverride = kernel;
                    var c = new float[m * (n + Padding)];
                    Array.Fill(c, 42f);
                    Gemm.MultiplyFewColumns(m, n, k, a, k + Padding, b, n + Padding, c, n + Padding, withBias ? bias : default, epilogue, epilogueOffset: 2);
                    for (int i = 0; i < m; i++)
                    {
                        for (int j = 0; j < n + Padding; j++)
                        {
                            float actual = c[(i * (n + Padding)) + j];
                            string where = $"C[{i}, {j}] of {m}x{n}x{k}, {kernel}, bias {withBias}, epilogue {epilogue}";
                            if (j >= n)
                            {
                                Assert.AreEqual(42f, actual, $"{where}: the padding is left alone");
                                continue;
                            }

                            double want = expected[(i * n) + j];
                            Assert.AreEqual(want, actual, 1e-5 * (1 + Math.Abs(want)) * Math.Sqrt(k), where);
                        }
                    }
                }
            }
        }
    }

    [TestMethod]
    public void MultiplyFewColumns_IsBitwiseTheSame_OnOneAndTwoThreads()
    {
        var random = new Random(5);
        const int M = 203, N = 36, K = 150;
        var a = Values(random, M * K);
        var b = Values(random, K * N);
        var bias = Values(random, M);
        var epilogue = new ConvolutionEpilogue(Values(random, M), Values(random, M), 0f, 6f);
        foreach (var kernel in Kernels())
        {
            Gemm.KernelOverride = kernel;
            var results = new List<float[]>();
            foreach (int threads in new[] { 1, 2, 1 })
            {
                ComputeSettings.DegreeOfParallelism = threads;
                var c = new float[M * N];
                Gemm.MultiplyFewColumns(M, N, K, a, K, b, N, c, N, bias, epilogue);
                results.Add(c);
            }

            CollectionAssert.AreEqual(results[0], results[1], $"1 and 2 threads ({kernel})");
            CollectionAssert.AreEqual(results[0], results[2], $"repeated ({kernel})");
        }
    }

    [TestMethod]
    public void MultiplyFewColumns_FewerColumnsThanAVector256_IsRefusedNamingN()
    {
        var error = Assert.ThrowsException<ArgumentOutOfRangeException>(() => Gemm.MultiplyFewColumns(2, 7, 3, new float[6], 3, new float[21], 7, new float[14], 7, default, null));
        Assert.AreEqual("n", error.ParamName);
    }

    private static double[] Reference(int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[]? bias, ConvolutionEpilogue? epilogue, int offset)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum += (double)a[(i * lda) + p] * b[(p * ldb) + j];
                }

                sum += bias?[i] ?? 0;
                if (epilogue is not null)
                {
                    if (epilogue.Scale is not null)
                    {
                        sum = (sum * epilogue.Scale[offset + i]) + epilogue.Shift![offset + i];
                    }

                    sum = Math.Min(epilogue.High, Math.Max(epilogue.Low, sum));
                }

                c[(i * n) + j] = sum;
            }
        }

        return c;
    }

    private static GemmKernel[] Kernels() =>
        Avx2.IsSupported && Fma.IsSupported ? [GemmKernel.Vector512, GemmKernel.Avx2, GemmKernel.Portable] : [GemmKernel.Vector512, GemmKernel.Portable];

    private static float[] Values(Random random, int count) => Enumerable.Range(0, count).Select(_ => (random.NextSingle() * 2) - 1).ToArray();
}
