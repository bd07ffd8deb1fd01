using Microsoft.ML.Pruning.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Data;

[TestClass]
public sealed class NormalizerTests
{
    // Feature 0: 1, 2, 3, 6 (mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5); feature 1: constant 5.
    private static Dataset Train() => Dataset.FromArrays([[1, 5], [2, 5], [3, 5], [6, 5]], [0, 1, 0, 1]);

    [TestMethod]
    public void Standardize_FitsPopulationMeanAndDeviation()
    {
        Dataset normalized = Train().Normalize(NormalizationKind.Standardize, out Normalizer normalizer);

        Assert.AreEqual(NormalizationKind.Standardize, normalizer.Kind);
        Assert.AreEqual(2, normalizer.FeatureCount);
        Assert.AreEqual(3f, normalizer.Offsets[0]);
        Assert.AreEqual((float)(1 / Math.Sqrt(3.5)), normalizer.Scales[0], 1e-7f);
        Assert.AreEqual(5f, normalizer.Offsets[1]);
        Assert.AreEqual(1f, normalizer.Scales[1], "a constant feature is only centred");

        double mean = 0, squares = 0;
        for (int i = 0; i < normalized.Count; i++)
        {
            mean += normalized.GetSample(i)[0] / 4.0;
            squares += normalized.GetSample(i)[0] * normalized.GetSample(i)[0] / 4.0;
            Assert.AreEqual(0f, normalized.GetSample(i)[1]);
        }

        Assert.AreEqual(0, mean, 1e-6);
        Assert.AreEqual(1, squares, 1e-6);
        CollectionAssert.AreEqual(new[] { 0, 1, 0, 1 }, normalized.Labels);
    }

    [TestMethod]
    public void Standardize_StatisticsAppliedToSecondSet_UseTrainingValues()
    {
        Train().Normalize(NormalizationKind.Standardize, out Normalizer normalizer);
        Dataset test = Dataset.FromArrays([[3, 5], [10, 7]], [1, 0]);

        Dataset normalized = test.Normalize(normalizer);

        float scale = (float)(1 / Math.Sqrt(3.5));
        CollectionAssert.AreEqual(new[] { 0f, 0f, (10 - 3) * scale, 2f }, normalized.Features.Span.ToArray());
        CollectionAssert.AreEqual(new float[] { 3, 5, 10, 7 }, test.Features.Span.ToArray(), "the input must not change");
    }

    [TestMethod]
    public void MinMax_MapsTrainingRangeToUnitInterval()
    {
        Dataset normalized = Train().Normalize(NormalizationKind.MinMax, out Normalizer normalizer);

        CollectionAssert.AreEqual(new[] { 0f, 0f, 0.2f, 0f, 0.4f, 0f, 1f, 0f }, normalized.Features.Span.ToArray());
        var sample = new float[] { 11, 4 };
        normalizer.Apply(sample);
        CollectionAssert.AreEqual(new[] { 2f, -1f }, sample, "values outside the fitted range are not clipped");
    }

    [TestMethod]
    public void Apply_FeatureCountMismatch_Throws()
    {
        Normalizer normalizer = Normalizer.Fit(Train(), NormalizationKind.MinMax);

        Assert.ThrowsExactly<ArgumentException>(() => normalizer.Apply(Dataset.FromArrays([[1, 2, 3]], [0])));
        Assert.ThrowsExactly<ArgumentException>(() => normalizer.Apply(new float[3]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Normalizer.Fit(Train(), (NormalizationKind)7));
        Assert.ThrowsExactly<ArgumentException>(() => Normalizer.Fit(Train().Take(0), NormalizationKind.MinMax));
    }

    [TestMethod]
    public void FitPerChannel_Images_OneMeanAndDeviationPerChannel()
    {
        // Two samples of shape [2, 1, 2]: channel 0 holds 1, 3 | 5, 7 (mean 4, population variance (9+1+1+9)/4 = 5);
        // channel 1 holds 10, 10 | 10, 10 (constant: only centred).
        var images = Dataset.FromArray([1, 3, 10, 10, 5, 7, 10, 10], [2, 1, 2], [0, 1]);

        var normalizer = Normalizer.FitPerChannel(images, NormalizationKind.Standardize);

        CollectionAssert.AreEqual(new[] { 4f, 4f, 10f, 10f }, normalizer.Offsets.ToArray());
        Assert.AreEqual(1 / Math.Sqrt(5), normalizer.Scales[0], 1e-6);
        Assert.AreEqual(normalizer.Scales[0], normalizer.Scales[1]);
        CollectionAssert.AreEqual(new[] { 1f, 1f }, normalizer.Scales.Skip(2).ToArray());
    }

    [TestMethod]
    public void FitPerChannel_MinMax_MapsEachChannelsRangeToZeroOne()
    {
        var images = Dataset.FromArray([1, 3, -10, 10, 5, 7, 0, 30], [2, 1, 2], [0, 1]);

        var normalized = Normalizer.FitPerChannel(images, NormalizationKind.MinMax).Apply(images);

        float[] expected = [0, 1 / 3f, 0, 0.5f, 2 / 3f, 1, 0.25f, 1];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], normalized.Features.Span[i], 1e-6, $"value {i}");
        }
    }

    [TestMethod]
    public void FitPerChannel_Vectors_EqualsPerFeatureFit()
    {
        var perChannel = Normalizer.FitPerChannel(Train(), NormalizationKind.Standardize);
        var perFeature = Normalizer.Fit(Train(), NormalizationKind.Standardize);

        CollectionAssert.AreEqual(perFeature.Offsets.ToArray(), perChannel.Offsets.ToArray());
        CollectionAssert.AreEqual(perFeature.Scales.ToArray(), perChannel.Scales.ToArray());
    }
}
