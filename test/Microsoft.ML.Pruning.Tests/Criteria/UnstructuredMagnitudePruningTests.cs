using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Criteria.CriteriaTestSupport;

namespace Microsoft.ML.Pruning.Tests.Criteria;

[TestClass]
public sealed class UnstructuredMagnitudePruningTests
{
    /// <summary>
    /// first  = [[0.5, −0.1, 0.3], [−0.2, 0.05, 0.4]] (flat indices 0..5; mean |w| = 1.55 / 6 = 0.2583),
    /// output = [[0.7, −0.9], [0.8, −0.6]]            (flat indices 0..3; mean |w| = 0.75).
    /// </summary>
    private static Network TwoLayers()
    {
        var network = new Network(3);
        network.Add(Dense([[0.5f, -0.1f, 0.3f], [-0.2f, 0.05f, 0.4f]], [0.01f, 0.02f], "first"));
        network.Add(new Relu("relu"));
        network.Add(Dense([[0.7f, -0.9f], [0.8f, -0.6f]], [0.03f, 0.04f], "output"));
        return network;
    }

    private static Parameter Weight(Network network, string name) => ((Dense)network[name].Layer).Weight;

    private static int[] MaskedIndices(Parameter weight) =>
        weight.Mask is null ? [] : Enumerable.Range(0, weight.Length).Where(i => weight.Mask.Span[i] == 0).ToArray();

    private static UnstructuredMagnitudePruning Method(MagnitudeThreshold mode = MagnitudeThreshold.Rate, RankingScope ranking = RankingScope.PerLayer, double quality = 1.0) =>
        new(new UnstructuredMagnitudePruningOptions { Mode = mode, Ranking = ranking, QualityFactor = quality });

    [TestMethod]
    public void Apply_RatePerLayer_MasksTheSmallestMagnitudesOfEachLayer()
    {
        // Half of each layer: first loses 0.05, 0.1, 0.2 (indices 4, 1, 3); output loses 0.6, 0.7 (indices 3, 0).
        var network = TwoLayers();
        Assert.AreEqual(5, Method().Apply(network, 0.5, null));
        CollectionAssert.AreEqual(new[] { 1, 3, 4 }, MaskedIndices(Weight(network, "first")));
        CollectionAssert.AreEqual(new[] { 0, 3 }, MaskedIndices(Weight(network, "output")));
        CollectionAssert.AreEqual(new[] { 0.5f, 0, 0.3f, 0, 0, 0.4f }, Weight(network, "first").Value.Span.ToArray());
    }

    [TestMethod]
    public void Apply_RateGlobal_RanksAllLayersTogether()
    {
        // Half of all ten weights: 0.05, 0.1, 0.2, 0.3, 0.4, all in the first layer.
        var network = TwoLayers();
        Assert.AreEqual(5, Method(ranking: RankingScope.Global).Apply(network, 0.5, null));
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4, 5 }, MaskedIndices(Weight(network, "first")));
        Assert.IsNull(Weight(network, "output").Mask, "No output weight was chosen, so no mask was created.");
    }

    [TestMethod]
    [DataRow(1.0, new[] { 1, 3, 4 }, new[] { 0, 3 })]
    [DataRow(1.1, new[] { 1, 3, 4 }, new[] { 0, 2, 3 })]
    [DataRow(1.25, new[] { 1, 2, 3, 4 }, new[] { 0, 1, 2, 3 })]
    public void Apply_MeanThreshold_MasksWeightsBelowQualityTimesTheLayerMean(double quality, int[] first, int[] output)
    {
        // Thresholds: first 0.2583 · q, output 0.75 · q. At q = 1.1: 0.284 and 0.825 (adds 0.8); at 1.25: 0.323 (adds 0.3) and 0.9375 (all).
        var network = TwoLayers();
        Assert.AreEqual(first.Length + output.Length, Method(MagnitudeThreshold.MeanThreshold, quality: quality).Apply(network, 1.0, null));
        CollectionAssert.AreEqual(first, MaskedIndices(Weight(network, "first")));
        CollectionAssert.AreEqual(output, MaskedIndices(Weight(network, "output")));
    }

    [TestMethod]
    public void Apply_MeanThresholdWithSmallRate_CapsEachLayerAtTheRate()
    {
        // round(0.2 · 6) = 1 and round(0.2 · 4) = 1: only each layer's smallest weight below its threshold goes.
        var network = TwoLayers();
        Assert.AreEqual(2, Method(MagnitudeThreshold.MeanThreshold).Apply(network, 0.2, null));
        CollectionAssert.AreEqual(new[] { 4 }, MaskedIndices(Weight(network, "first")));
        CollectionAssert.AreEqual(new[] { 3 }, MaskedIndices(Weight(network, "output")));
    }

    [TestMethod]
    public void Apply_Twice_AccumulatesOverTheStillUnmaskedWeights()
    {
        // Second call: first keeps 0.5, 0.3, 0.4 and loses round(1.5) = 2 (0.3, 0.4); output keeps 0.9, 0.8 and loses 0.8.
        var network = TwoLayers();
        var method = Method();
        Assert.AreEqual(5, method.Apply(network, 0.5, null));
        Assert.AreEqual(3, method.Apply(network, 0.5, null));
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4, 5 }, MaskedIndices(Weight(network, "first")));
        CollectionAssert.AreEqual(new[] { 0, 2, 3 }, MaskedIndices(Weight(network, "output")));
    }

    [TestMethod]
    public void Apply_ThenOptimizerStep_MaskedWeightsStayZeroAndBiasesAreNeverMasked()
    {
        var network = TwoLayers();
        Method().Apply(network, 0.5, null);
        var before = network.Parameters.Select(p => p.Value.Span.ToArray()).ToArray();
        var input = FloatTensor.FromValues([1, -2, 3, 0.5f, 0.5f, 2], 2, 3);
        var output = network.Forward(input, training: true);
        var gradient = new FloatTensor(output.Shape);
        new SoftmaxCrossEntropyLoss().Compute(output, [0, 1], gradient);
        network.Backward(gradient);
        new SgdOptimizer(0.5f).Step(network.Parameters);

        foreach (string name in new[] { "first", "output" })
        {
            var dense = (Dense)network[name].Layer;
            Assert.IsNull(dense.Bias!.Mask, $"{name}: the bias has no mask.");
            foreach (int index in MaskedIndices(dense.Weight))
            {
                Assert.AreEqual(0f, dense.Weight.Value.Span[index], $"{name}[{index}] stays masked.");
            }
        }

        var after = network.Parameters.Select(p => p.Value.Span.ToArray()).ToArray();
        Assert.IsTrue(Enumerable.Range(0, before.Length).Any(p => !before[p].SequenceEqual(after[p])), "The step changed some unmasked value.");
        Assert.AreNotEqual(0.01f, ((Dense)network["first"].Layer).Bias!.Value.Span[0], "Biases still train.");
    }

    [TestMethod]
    public void Apply_OutputLayerExcluded_LeavesItAlone()
    {
        var network = TwoLayers();
        var method = new UnstructuredMagnitudePruning(new UnstructuredMagnitudePruningOptions { IncludeOutputLayer = false });
        Assert.AreEqual(3, method.Apply(network, 0.5, null));
        Assert.IsNull(Weight(network, "output").Mask);
    }

    [TestMethod]
    public void Apply_NamedLayers_MasksOnlyThem()
    {
        var network = TwoLayers();
        var method = new UnstructuredMagnitudePruning(new UnstructuredMagnitudePruningOptions { Layers = ["output"] });
        Assert.AreEqual(2, method.Apply(network, 0.5, null));
        Assert.IsNull(Weight(network, "first").Mask);
        CollectionAssert.AreEqual(new[] { 0, 3 }, MaskedIndices(Weight(network, "output")));
    }

    [TestMethod]
    public void Apply_ConvLayer_MasksFilterWeights()
    {
        // 2 filters of 2×1×1... as a flat [2, 2, 1, 1] weight [0.3, −0.1, 0.05, −0.4]: half goes, 0.05 and 0.1.
        var network = new Network(2, 2, 2);
        var conv = new Conv2d(2, 2, 1, name: "conv");
        float[] weight = [0.3f, -0.1f, 0.05f, -0.4f];
        weight.CopyTo(conv.Weight.Value.Span);
        network.Add(conv);
        Assert.AreEqual(2, Method().Apply(network, 0.5, null));
        CollectionAssert.AreEqual(new[] { 1, 2 }, MaskedIndices(conv.Weight));
        CollectionAssert.AreEqual(new[] { 0.3f, 0, 0, -0.4f }, conv.Weight.Value.Span.ToArray());
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(-0.5)]
    [DataRow(1.5)]
    [DataRow(double.NaN)]
    public void Apply_RateOutsideZeroToOne_Throws(double rate)
    {
        var error = Assert.ThrowsException<ArgumentOutOfRangeException>(() => Method().Apply(TwoLayers(), rate, null));
        Assert.AreEqual("rate", error.ParamName);
    }

    [TestMethod]
    public void Apply_UnknownOrWeightlessLayerName_ThrowsNamingIt()
    {
        var missing = new UnstructuredMagnitudePruning(new UnstructuredMagnitudePruningOptions { Layers = ["missing"] });
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => missing.Apply(TwoLayers(), 0.5, null)).Message, "'missing'");
        var relu = new UnstructuredMagnitudePruning(new UnstructuredMagnitudePruningOptions { Layers = ["relu"] });
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => relu.Apply(TwoLayers(), 0.5, null)).Message, "'relu'");
    }

    [TestMethod]
    public void Apply_CancelledToken_ThrowsBeforeMasking()
    {
        var network = TwoLayers();
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.ThrowsException<OperationCanceledException>(() => Method().Apply(network, 0.5, null, source.Token));
        Assert.IsTrue(network.Parameters.All(p => p.Mask is null));
    }

    [TestMethod]
    public void Options_OutOfRange_ThrowNamingTheOption()
    {
        Assert.AreEqual("QualityFactor", Assert.ThrowsException<ArgumentOutOfRangeException>(() => Method(quality: 0)).ParamName);
        Assert.AreEqual("QualityFactor", Assert.ThrowsException<ArgumentOutOfRangeException>(() => Method(quality: double.PositiveInfinity)).ParamName);
        Assert.AreEqual("Mode", Assert.ThrowsException<ArgumentOutOfRangeException>(() => Method((MagnitudeThreshold)5)).ParamName);
        Assert.AreEqual("Ranking", Assert.ThrowsException<ArgumentOutOfRangeException>(() => Method(ranking: (RankingScope)5)).ParamName);
        Assert.AreEqual("Layers", Assert.ThrowsException<ArgumentException>(() => new UnstructuredMagnitudePruning(new UnstructuredMagnitudePruningOptions { Layers = [] })).ParamName);
        Assert.ThrowsException<ArgumentNullException>(() => new UnstructuredMagnitudePruning(null!));
    }

    [TestMethod]
    public void UnstructuredMagnitudePruning_Properties_DescribeAWeightMethod()
    {
        var method = Method(MagnitudeThreshold.MeanThreshold, RankingScope.Global, 1.5);
        Assert.AreEqual("magnitude, unstructured", method.Name);
        Assert.IsFalse(method.RequiresData);
        Assert.AreEqual(MagnitudeThreshold.MeanThreshold, method.Mode);
        Assert.AreEqual(RankingScope.Global, method.Ranking);
        Assert.AreEqual(1.5, method.QualityFactor);
    }
}
