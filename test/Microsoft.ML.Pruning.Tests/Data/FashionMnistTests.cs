using Microsoft.ML.Pruning.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Data;

/// <summary>
/// Reads the real Fashion-MNIST files that Debian's <c>dataset-fashion-mnist</c> package installs in
/// /usr/share/datasets/fashion-mnist; the project's setup script installs it before the tests run.
/// </summary>
[TestClass]
[TestCategory("RequiresData")]
public sealed class FashionMnistTests
{
    private static string TestFile(string name) => Path.Combine(IdxLoader.FashionMnistDefaultDirectory, name);

    [TestMethod]
    public void Load_RealFashionMnistTestSet_Has10000BalancedImages()
    {
        Dataset test = IdxLoader.Load(TestFile("t10k-images-idx3-ubyte.gz"), TestFile("t10k-labels-idx1-ubyte.gz"), new IdxLoadOptions { ClassCount = 10 });

        Assert.AreEqual(10_000, test.Count);
        CollectionAssert.AreEqual(new[] { 1, 28, 28 }, test.SampleShape);
        Assert.AreEqual(10, test.ClassCount);
        CollectionAssert.AreEqual(Enumerable.Repeat(1000, 10).ToArray(), test.CountByClass());
        CollectionAssert.AreEqual(new[] { 9, 2, 1, 1, 6, 1, 4, 6, 5, 7 }, test.Labels[..10]);

        // The first image's bytes sum to 33,456 and reach 255 (values checked with Python's gzip module).
        ReadOnlySpan<float> first = test.GetSample(0);
        double sum = 0;
        foreach (float value in first)
        {
            sum += value;
        }

        Assert.AreEqual(33_456 / 255.0, sum, 1e-3);
        Assert.AreEqual(1f, first.ToArray().Max());
    }

    [TestMethod]
    public void LoadFashionMnist_RealFiles_ReturnsNamedTrainAndTestSets()
    {
        var (train, test) = IdxLoader.LoadFashionMnist(IdxLoader.FashionMnistDefaultDirectory, new IdxLoadOptions { MaxCount = 5 });

        CollectionAssert.AreEqual(new[] { 9, 0, 0, 3, 0 }, train.Labels);
        Assert.AreEqual(5, test.Count);
        Assert.AreEqual("Ankle boot", train.ClassNames![train.Labels[0]]);
        Assert.AreEqual("Pullover", test.ClassNames![test.Labels[1]]);
    }
}
