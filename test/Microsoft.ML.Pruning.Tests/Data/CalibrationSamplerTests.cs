using Microsoft.ML.Pruning.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Data;

/// <summary>The calibration sample: seeded, distinct rows, and the very sample the pruning loop scores on.</summary>
[TestClass]
public sealed class CalibrationSamplerTests
{
    /// <summary>Ten rows whose single feature is the row's index, so a sample's rows can be read off its features.</summary>
    private static Dataset Indexed() => Dataset.FromArrays(Enumerable.Range(0, 10).Select(i => new[] { (float)i }).ToArray(), Enumerable.Range(0, 10).Select(i => i % 3).ToArray());

    [TestMethod]
    public void Draw_FewerThanTheRows_TakesDistinctRowsWithTheirLabels()
    {
        var sample = CalibrationSampler.Draw(Indexed(), 4, seed: 3);

        Assert.AreEqual(4, sample.Count);
        var rows = Enumerable.Range(0, 4).Select(i => (int)sample.GetSample(i)[0]).ToArray();
        Assert.AreEqual(4, rows.Distinct().Count(), string.Join(",", rows));
        for (int i = 0; i < 4; i++)
        {
            Assert.AreEqual(rows[i] % 3, sample.Labels[i], "the label travels with its row");
        }
    }

    [TestMethod]
    public void Draw_SameSeed_SameRows_OtherSeed_OtherRows()
    {
        float[] Rows(int seed) => CalibrationSampler.Draw(Indexed(), 5, seed).Features.Span.ToArray();

        CollectionAssert.AreEqual(Rows(1), Rows(1));
        CollectionAssert.AreNotEqual(Rows(1), Rows(2));
    }

    [TestMethod]
    public void Draw_AtLeastTheRowCount_ReturnsEveryRowInOrder()
    {
        var data = Indexed();

        Assert.AreSame(data, CalibrationSampler.Draw(data, 10, seed: 5));
        Assert.AreSame(data, CalibrationSampler.Draw(data, 2048, seed: 5));
    }

    [TestMethod]
    public void Draw_ZeroSamples_ThrowsNamingTheCount()
    {
        var e = Assert.ThrowsException<ArgumentOutOfRangeException>(() => CalibrationSampler.Draw(Indexed(), 0));

        Assert.AreEqual("count", e.ParamName);
    }
}
