using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Data;

[TestClass]
public sealed class DatasetTests
{
    /// <summary>Ten samples of two features [i, 10 + i] whose label is i % 3, so each row can be recognised.</summary>
    private static Dataset Numbered(int count = 10)
    {
        var rows = new float[count][];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            rows[i] = [i, 10 + i];
            labels[i] = i % 3;
        }

        return Dataset.FromArrays(rows, labels, classCount: 3, classNames: ["a", "b", "c"]);
    }

    private static void AssertRowsMatchLabels(Dataset data)
    {
        for (int i = 0; i < data.Count; i++)
        {
            ReadOnlySpan<float> sample = data.GetSample(i);
            Assert.AreEqual(sample[0] + 10, sample[1]);
            Assert.AreEqual((int)sample[0] % 3, data.Labels[i], "features and label of a sample must stay together");
        }
    }

    [TestMethod]
    public void Constructor_ValidData_ExposesShapeAndCounts()
    {
        var data = new Dataset(new FloatTensor(4, 1, 2, 3), [0, 1, 2, 1], classCount: 3);

        Assert.AreEqual(4, data.Count);
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, data.SampleShape);
        Assert.AreEqual(6, data.FeatureCount);
        Assert.AreEqual(3, data.ClassCount);
        Assert.IsNull(data.ClassNames);
        CollectionAssert.AreEqual(new[] { 1, 2, 1 }, data.CountByClass());
        Assert.AreEqual("Dataset[4 samples of [1, 2, 3], 3 classes]", data.ToString());
    }

    [TestMethod]
    public void Constructor_LabelOutOfRange_ThrowsNamingSampleAndRange()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Dataset(new FloatTensor(3, 2), [0, 3, 1], classCount: 3));
        StringAssert.Contains(e.Message, "Label 3 of sample 1");
        StringAssert.Contains(e.Message, "[0, 3)");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Dataset(new FloatTensor(1, 2), [-1], classCount: 3));
    }

    [TestMethod]
    public void Constructor_MismatchedCountsOrNames_Throws()
    {
        var counts = Assert.ThrowsExactly<ArgumentException>(() => new Dataset(new FloatTensor(3, 2), [0, 1], classCount: 2));
        StringAssert.Contains(counts.Message, "3 samples but there are 2 labels");
        Assert.ThrowsExactly<ArgumentException>(() => new Dataset(new FloatTensor(2, 2), [0, 1], classCount: 2, classNames: ["only one"]));
        Assert.ThrowsExactly<ArgumentException>(() => new Dataset(new FloatTensor(2), [0, 1], classCount: 2));
        Assert.ThrowsExactly<ArgumentException>(() => new Dataset(new FloatTensor(2, 0), [0, 1], classCount: 2));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Dataset(new FloatTensor(2, 2), [0, 0], classCount: 0));
    }

    [TestMethod]
    public void FromArrays_CopiesRowsAndInfersClassCount()
    {
        float[][] rows = [[1, 2], [3, 4], [5, 6]];
        int[] labels = [0, 4, 2];

        Dataset data = Dataset.FromArrays(rows, labels);
        rows[0][0] = 99;
        labels[0] = 1;

        Assert.AreEqual(5, data.ClassCount);
        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 4, 5, 6 }, data.Features.Span.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 4, 2 }, data.Labels);
        CollectionAssert.AreEqual(new[] { 2 }, data.SampleShape);
    }

    [TestMethod]
    public void FromArrays_RaggedRows_ThrowsNamingRow()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Dataset.FromArrays([[1, 2], [3]], [0, 1]));
        StringAssert.Contains(e.Message, "Row 1 has 1 values");
    }

    [TestMethod]
    public void FromArray_ShapesSamplesAndTakesClassCountFromNames()
    {
        Dataset data = Dataset.FromArray([0, 1, 2, 3, 4, 5, 6, 7], [1, 2, 2], [1, 0], classNames: ["x", "y", "z"]);

        CollectionAssert.AreEqual(new[] { 2, 1, 2, 2 }, data.Features.Shape);
        Assert.AreEqual(3, data.ClassCount);
        CollectionAssert.AreEqual(new float[] { 4, 5, 6, 7 }, data.GetSample(1).ToArray());
        Assert.ThrowsExactly<ArgumentException>(() => Dataset.FromArray([1, 2, 3], [2], [0, 1]));
    }

    [TestMethod]
    public void Shuffle_SameSeed_GivesSameOrderAndKeepsPairs()
    {
        Dataset data = Numbered(50);

        Dataset first = data.Shuffle(seed: 7);
        Dataset second = data.Shuffle(seed: 7);
        Dataset other = data.Shuffle(seed: 8);

        CollectionAssert.AreEqual(first.Features.Span.ToArray(), second.Features.Span.ToArray());
        CollectionAssert.AreNotEqual(first.Features.Span.ToArray(), other.Features.Span.ToArray());
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 50).Select(i => (float)i).ToArray(), Enumerable.Range(0, 50).Select(i => first.GetSample(i)[0]).ToArray());
        AssertRowsMatchLabels(first);
        Assert.AreEqual(0f, data.GetSample(0)[0], "the input must not change");
        CollectionAssert.AreEqual(data.ClassNames!.ToArray(), first.ClassNames!.ToArray());
    }

    [TestMethod]
    public void Split_SameSeed_IsDeterministicAndPartitionsTheSamples()
    {
        Dataset data = Numbered(10);

        var (train, test) = data.Split(0.75, seed: 3);
        var (trainAgain, testAgain) = data.Split(0.75, seed: 3);

        Assert.AreEqual(8, train.Count, "round(0.75 * 10) = 7.5 rounds away from zero");
        Assert.AreEqual(2, test.Count);
        CollectionAssert.AreEqual(train.Features.Span.ToArray(), trainAgain.Features.Span.ToArray());
        CollectionAssert.AreEqual(test.Labels, testAgain.Labels);
        float[] all = [.. Enumerable.Range(0, train.Count).Select(i => train.GetSample(i)[0]), .. Enumerable.Range(0, test.Count).Select(i => test.GetSample(i)[0])];
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), all);
        AssertRowsMatchLabels(train);
        AssertRowsMatchLabels(test);
        Assert.AreEqual(3, test.ClassCount);
    }

    [TestMethod]
    public void Split_FractionOutsideOpenUnitInterval_ThrowsNamingIt()
    {
        Dataset data = Numbered();
        foreach (double fraction in new[] { 0.0, 1.0, -0.5, double.NaN })
        {
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => data.Split(fraction, seed: 1));
            Assert.AreEqual("trainFraction", e.ParamName);
        }
    }

    [TestMethod]
    public void Slice_ReturnsConsecutiveCopiedSamples()
    {
        Dataset data = Numbered();

        Dataset slice = data.Slice(3, 4);

        Assert.AreEqual(4, slice.Count);
        CollectionAssert.AreEqual(new float[] { 3, 13, 4, 14, 5, 15, 6, 16 }, slice.Features.Span.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 0 }, slice.Labels);
        Assert.AreEqual(0, data.Slice(10, 0).Count);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => data.Slice(8, 3));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => data.Slice(-1, 1));
    }

    [TestMethod]
    public void Take_MoreThanCount_ReturnsAllSamples()
    {
        Dataset data = Numbered();

        Assert.AreEqual(4, data.Take(4).Count);
        Assert.AreEqual(10, data.Take(100).Count);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => data.Take(-1));
    }

    [TestMethod]
    public void Select_RepeatedIndices_CopiesInGivenOrder()
    {
        Dataset picked = Numbered().Select([4, 1, 4]);

        CollectionAssert.AreEqual(new float[] { 4, 14, 1, 11, 4, 14 }, picked.Features.Span.ToArray());
        CollectionAssert.AreEqual(new[] { 1, 1, 1 }, picked.Labels);
    }

    [TestMethod]
    public void CopyBatch_CopiesRowsAndReusesTheBatchBuffer()
    {
        Dataset data = Dataset.FromArray(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), [1, 2, 3], [0, 1, 2, 3], classCount: 4);
        var batch = new FloatTensor(1);
        var labels = new int[3];

        data.CopyBatch([2, 0], batch, labels);

        CollectionAssert.AreEqual(new[] { 2, 1, 2, 3 }, batch.Shape);
        CollectionAssert.AreEqual(new float[] { 12, 13, 14, 15, 16, 17, 0, 1, 2, 3, 4, 5 }, batch.Span.ToArray());
        CollectionAssert.AreEqual(new[] { 2, 0, 0 }, labels);

        float[] buffer = batch.Data;
        int[] shape = batch.Shape;
        data.CopyBatch([3, 1], batch, labels);
        Assert.AreSame(buffer, batch.Data, "a batch of the same shape must reuse the buffer");
        Assert.AreSame(shape, batch.Shape, "a batch of the same shape must not be resized");
        CollectionAssert.AreEqual(new float[] { 18, 19, 20, 21, 22, 23, 6, 7, 8, 9, 10, 11 }, batch.Span.ToArray());

        data.CopyBatch([1], batch, labels);
        Assert.AreSame(buffer, batch.Data, "a smaller last batch keeps the buffer");
        CollectionAssert.AreEqual(new[] { 1, 1, 2, 3 }, batch.Shape);
    }

    [TestMethod]
    public void CopyBatch_InvalidIndexOrShortLabelBuffer_Throws()
    {
        Dataset data = Numbered(4);
        var batch = new FloatTensor(2, 2);

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => data.CopyBatch([0, 4], batch, new int[2]));
        Assert.ThrowsExactly<ArgumentException>(() => data.CopyBatch([0, 1], batch, new int[1]));
    }

    [TestMethod]
    public void Flatten_AndReshape_ShareTheFeatureBuffer()
    {
        var data = new Dataset(new FloatTensor(2, 1, 2, 3), [0, 1], classCount: 2);

        Dataset flat = data.Flatten();
        Dataset back = flat.Reshape(1, -1, 3);

        CollectionAssert.AreEqual(new[] { 6 }, flat.SampleShape);
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, back.SampleShape);
        Assert.AreSame(data.Features.Data, back.Features.Data);
        CollectionAssert.AreEqual(new[] { 2, 1, 2, 3 }, data.Features.Shape, "the input keeps its shape");
        Assert.ThrowsExactly<ArgumentException>(() => data.Reshape(4));
        Assert.ThrowsExactly<ArgumentException>(() => data.Reshape(-1, 4));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => data.Reshape(0, 6));
    }
}
