using Microsoft.ML.Pruning.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Data;

[TestClass]
public sealed class WaveformGeneratorTests
{
    private const int Samples = 30_000;

    // Breiman et al. (1984): h1(i) = max(6 - |i - 11|, 0), h2(i) = h1(i - 4), h3(i) = h1(i + 4), for i = 1..21.
    private static double H1(int i) => Math.Max(6 - Math.Abs(i - 11), 0);

    private static double H2(int i) => H1(i - 4);

    private static double H3(int i) => H1(i + 4);

    /// <summary>The expected value of attribute i (1-based) in a class: E[u] = 1/2, so it is the mean of the two waves.</summary>
    private static double Template(int label, int i) => label switch
    {
        0 => 0.5 * (H1(i) + H2(i)),
        1 => 0.5 * (H1(i) + H3(i)),
        _ => 0.5 * (H2(i) + H3(i)),
    };

    [TestMethod]
    public void Generate_ManySamples_ClassesAreBalanced()
    {
        Dataset data = WaveformGenerator.Generate(Samples, seed: 1);

        CollectionAssert.AreEqual(new[] { Samples, 21 }, data.Features.Shape);
        Assert.AreEqual(3, data.ClassCount);
        foreach (int count in data.CountByClass())
        {
            Assert.AreEqual(Samples / 3.0, count, 500, "each class has probability 1/3 (standard deviation about 82)");
        }
    }

    [TestMethod]
    public void Generate_ManySamples_ClassMeansMatchTheTemplates()
    {
        Dataset data = WaveformGenerator.Generate(Samples, seed: 2);

        var sums = new double[3, 21];
        int[] counts = data.CountByClass();
        for (int n = 0; n < data.Count; n++)
        {
            ReadOnlySpan<float> sample = data.GetSample(n);
            for (int a = 0; a < 21; a++)
            {
                sums[data.Labels[n], a] += sample[a];
            }
        }

        for (int label = 0; label < 3; label++)
        {
            for (int i = 1; i <= 21; i++)
            {
                // Each attribute has variance at most 36/12 + 1 = 4, so the standard error over ~10,000 samples is about 0.02.
                Assert.AreEqual(Template(label, i), sums[label, i - 1] / counts[label], 0.1, $"class {label}, attribute {i}");
            }
        }
    }

    [TestMethod]
    public void Generate_OneUPerSample_CouplesTheTwoPeaks()
    {
        // In class 0, x11 = 6u + 2(1 - u) + e and x15 = 2u + 6(1 - u) + e', so Cov(x11, x15) = 4 * (-4) * Var(u) = -4/3.
        Dataset data = WaveformGenerator.Generate(Samples, seed: 3);

        double sum11 = 0, sum15 = 0, sumProduct = 0;
        int count = 0;
        for (int n = 0; n < data.Count; n++)
        {
            if (data.Labels[n] == 0)
            {
                double x11 = data.GetSample(n)[10], x15 = data.GetSample(n)[14];
                sum11 += x11;
                sum15 += x15;
                sumProduct += x11 * x15;
                count++;
            }
        }

        double covariance = (sumProduct / count) - (sum11 / count * (sum15 / count));
        Assert.AreEqual(-4.0 / 3.0, covariance, 0.15);
    }

    [TestMethod]
    public void Generate_NoiseAttributes_AreStandardNormal()
    {
        Dataset data = WaveformGenerator.Generate(Samples, seed: 4, withNoiseAttributes: true);

        CollectionAssert.AreEqual(new[] { 40 }, data.SampleShape);
        for (int a = 21; a < 40; a++)
        {
            double sum = 0, squares = 0;
            for (int n = 0; n < data.Count; n++)
            {
                double x = data.GetSample(n)[a];
                sum += x;
                squares += x * x;
            }

            double mean = sum / data.Count;
            Assert.AreEqual(0, mean, 0.04, $"attribute {a + 1}");
            Assert.AreEqual(1, (squares / data.Count) - (mean * mean), 0.06, $"attribute {a + 1}");
        }
    }

    [TestMethod]
    public void Generate_SameSeed_GivesSameData()
    {
        Dataset first = WaveformGenerator.Generate(200, seed: 42, withNoiseAttributes: true);
        Dataset second = WaveformGenerator.Generate(200, seed: 42, withNoiseAttributes: true);
        Dataset other = WaveformGenerator.Generate(200, seed: 43, withNoiseAttributes: true);

        CollectionAssert.AreEqual(first.Features.Span.ToArray(), second.Features.Span.ToArray());
        CollectionAssert.AreEqual(first.Labels, second.Labels);
        CollectionAssert.AreNotEqual(first.Features.Span.ToArray(), other.Features.Span.ToArray());
    }

    [TestMethod]
    public void Generate_CountBelowOne_ThrowsNamingIt()
    {
        Assert.AreEqual("count", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => WaveformGenerator.Generate(0, seed: 1)).ParamName);
    }
}
