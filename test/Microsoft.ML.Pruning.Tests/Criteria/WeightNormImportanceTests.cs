using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Criteria.CriteriaTestSupport;

namespace Microsoft.ML.Pruning.Tests.Criteria;

[TestClass]
public sealed class WeightNormImportanceTests
{
    private static readonly float[][] Rows = [[3, -4, 0], [1, 1, -1], [0, 0, 0], [-2, 0, 0]];

    private static Network DenseNetwork()
    {
        var network = new Network(3);
        network.Add(Dense(Rows, [100, 100, 100, 100], "hidden"));
        network.Add(new Relu("relu"));
        return network;
    }

    private static Network ConvNetwork(out Conv2d conv)
    {
        // Two 2→2 filters of 1×2: filter 0 = [[1, −2], [2, 0]], filter 1 = [[0, 0], [0, −3]].
        var network = new Network(2, 3, 3);
        conv = new Conv2d(2, 2, (1, 2), (1, 1), (0, 0, 0, 0), name: "conv");
        float[] weight = [1, -2, 2, 0, 0, 0, 0, -3];
        weight.CopyTo(conv.Weight.Value.Span);
        network.Add(conv);
        return network;
    }

    [TestMethod]
    [DataRow(WeightNorm.L1, false, new float[] { 7, 3, 0, 2 })]
    [DataRow(WeightNorm.L2, false, new float[] { 5, 1.7320508f, 0, 2 })]
    [DataRow(WeightNorm.L1, true, new float[] { 7 / 3f, 1, 0, 2 / 3f })]
    [DataRow(WeightNorm.L2, true, new float[] { 2.8867513f, 1, 0, 1.1547005f })]
    public void Score_DenseRows_AreNormsOfIncomingWeightsWithoutBias(WeightNorm norm, bool normalize, float[] expected)
    {
        // L2 of [3, −4, 0] is 5; root mean square is 5 / √3 = 2.8867513. [1, 1, −1]: √3, RMS 1. [−2, 0, 0]: 2, RMS 2 / √3.
        var network = DenseNetwork();
        var scores = new WeightNormImportance(norm, normalize).Score(network, [Group(network, 0, 1)], null);
        TestSupport.TensorAssert.AllClose(expected, scores[0], 1e-6, 0, $"{norm} normalize={normalize}");
    }

    [TestMethod]
    [DataRow(WeightNorm.L1, false, new float[] { 5, 3 })]
    [DataRow(WeightNorm.L2, false, new float[] { 3, 3 })]
    [DataRow(WeightNorm.L1, true, new float[] { 1.25f, 0.75f })]
    [DataRow(WeightNorm.L2, true, new float[] { 1.5f, 1.5f })]
    public void Score_ConvFilters_AreNormsOverInputChannelsAndKernel(WeightNorm norm, bool normalize, float[] expected)
    {
        // Filter 0 [1, −2, 2, 0]: L1 5, L2 3, mean 5/4, RMS √(9/4). Filter 1 [0, 0, 0, −3]: L1 3, L2 3, mean 3/4, RMS 3/2.
        var network = ConvNetwork(out _);
        var scores = new WeightNormImportance(norm, normalize).Score(network, [Group(network, 0, 0)], null);
        TestSupport.TensorAssert.AllClose(expected, scores[0], 1e-6, 0, $"{norm} normalize={normalize}");
    }

    [TestMethod]
    public void Score_ResidualGroup_AveragesTheProducersNorms()
    {
        var network = new Network(3);
        int a = network.Add(Dense([[1, 2, 0], [0, 0, 1]], name: "left"), NetworkNode.NetworkInput);
        int b = network.Add(Dense([[-1, 0, 0], [0, 3, 3]], name: "right"), NetworkNode.NetworkInput);
        int sum = network.Add(new Add("add"), a, b);
        var group = new PruningGroup("left+right", UnitKind.Neuron, [network.Nodes[a], network.Nodes[b]], network.Nodes[sum], 2);
        var scores = new WeightNormImportance().Score(network, [group], null);
        // The mean, so that the group ranks on the scale of one layer (issue 13, item 7; the sum was 4 and 7).
        CollectionAssert.AreEqual(new[] { (3f + 1) / 2, (1f + 6) / 2 }, scores[0]);
    }

    [TestMethod]
    public void Score_GroupedConv_UsesEachFiltersOwnInputChannels()
    {
        // Depthwise 2→2: each filter sees one channel, so its weight is [1, kh, kw].
        var network = new Network(2, 3, 3);
        var conv = new Conv2d(2, 2, 2, groups: 2, name: "depthwise");
        float[] weight = [1, -1, 1, -1, 2, 0, 0, 0];
        weight.CopyTo(conv.Weight.Value.Span);
        network.Add(conv);
        var scores = new WeightNormImportance().Score(network, [Group(network, 0, 0)], null);
        CollectionAssert.AreEqual(new[] { 4f, 2f }, scores[0]);
    }

    [TestMethod]
    public void WeightNormImportance_Properties_DescribeAWeightCriterion()
    {
        Assert.IsFalse(new WeightNormImportance().RequiresData);
        Assert.AreEqual("L1 norm", new WeightNormImportance().Name);
        Assert.AreEqual("L2 norm", new WeightNormImportance(WeightNorm.L2).Name);
        var error = Assert.ThrowsException<ArgumentOutOfRangeException>(() => new WeightNormImportance((WeightNorm)7));
        Assert.AreEqual("norm", error.ParamName);
    }

    [TestMethod]
    public void Score_MaskedWeights_CountAsZero()
    {
        var network = DenseNetwork();
        var dense = (Dense)network.Nodes[0].Layer;
        var mask = new FloatTensor(4, 3);
        mask.Fill(1);
        mask[0, 1] = 0;
        dense.Weight.Mask = mask;
        var scores = new WeightNormImportance().Score(network, [Group(network, 0, 1)], null);
        CollectionAssert.AreEqual(new[] { 3f, 3, 0, 2 }, scores[0]);
    }
}
