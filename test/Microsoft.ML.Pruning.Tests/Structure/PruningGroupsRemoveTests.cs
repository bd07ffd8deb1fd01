using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Structure;

[TestClass]
public sealed class PruningGroupsRemoveTests
{
    private static Network Mlp() => new NetworkBuilder(6).Dense(5).Relu().Dense(4).Relu().Dense(3).Build(seed: 1);

    [TestMethod]
    public void Remove_DenseNeurons_KeepsTheOtherRowsAndColumnsInOrder()
    {
        var network = Mlp();
        var before = NetworkSerializer.Clone(network);
        var dense1 = (Dense)network["dense1"].Layer;
        var dense2 = (Dense)network["dense2"].Layer;

        PruningGroups.Remove(network, PruningGroups.Find(network)[0], [3, 0, 3]);

        var w1 = ((Dense)before["dense1"].Layer).Weight.Value;
        var b1 = ((Dense)before["dense1"].Layer).Bias!.Value;
        var w2 = ((Dense)before["dense2"].Layer).Weight.Value;
        int[] kept = [1, 2, 4];
        for (int i = 0; i < kept.Length; i++)
        {
            Assert.AreEqual(b1[kept[i]], dense1.Bias!.Value[i]);
            for (int j = 0; j < 6; j++)
            {
                Assert.AreEqual(w1[kept[i], j], dense1.Weight.Value[i, j]);
            }

            for (int row = 0; row < 4; row++)
            {
                Assert.AreEqual(w2[row, kept[i]], dense2.Weight.Value[row, i]);
            }
        }

        CollectionAssert.AreEqual(new[] { 3 }, network["relu1"].OutputShape);
        Assert.AreEqual(3, PruningGroups.Find(network)[0].UnitCount);
    }

    [TestMethod]
    public void Remove_DepthwiseConvolutionFollowingItsProducer_ShrinksItsFiltersAndGroups()
    {
        var network = StructureCases.Get("depthwise").Build();
        var depthwise = (Conv2d)network["conv2"].Layer;

        PruningGroups.Remove(network, PruningGroups.Find(network)[0], [0, 3]);

        Assert.AreEqual(2, depthwise.Groups);
        Assert.AreEqual(2, depthwise.InChannels);
        Assert.AreEqual(2, depthwise.OutChannels);
        Assert.IsTrue(depthwise.IsDepthwise);
        CollectionAssert.AreEqual(new[] { 2, 6, 6 }, network["relu2"].OutputShape);
    }

    [TestMethod]
    public void Remove_MaskedParameters_KeepTheirMasksOnTheKeptEntries()
    {
        var network = Mlp();
        var dense1 = (Dense)network["dense1"].Layer;
        var dense2 = (Dense)network["dense2"].Layer;
        var mask1 = new FloatTensor(5, 6);
        var mask2 = new FloatTensor(4, 5);
        for (int i = 0; i < mask1.Length; i++)
        {
            mask1.Span[i] = i % 2;
        }

        for (int i = 0; i < mask2.Length; i++)
        {
            mask2.Span[i] = i % 3 == 0 ? 0 : 1;
        }

        dense1.Weight.Mask = mask1;
        dense2.Weight.Mask = mask2;

        PruningGroups.Remove(network, PruningGroups.Find(network)[0], [1]);

        int[] kept = [0, 2, 3, 4];
        for (int i = 0; i < kept.Length; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                Assert.AreEqual(mask1[kept[i], j], dense1.Weight.Mask![i, j], $"dense1 mask [{i}, {j}]");
            }

            for (int row = 0; row < 4; row++)
            {
                Assert.AreEqual(mask2[row, kept[i]], dense2.Weight.Mask![row, i], $"dense2 mask [{row}, {i}]");
                Assert.AreEqual(mask2[row, kept[i]] == 0, dense2.Weight.Value[row, i] == 0, $"dense2 masked weight [{row}, {i}]");
            }
        }
    }

    [TestMethod]
    public void Remove_Repeatedly_FollowsTheShrunkNetwork()
    {
        var network = StructureCases.Get("residual").Build();
        var reference = NetworkSerializer.Clone(network);

        PruningGroups.Remove(network, PruningGroups.Find(network)[0], [3]);
        var groups = PruningGroups.Find(network);
        Assert.AreEqual(3, groups[0].UnitCount);
        PruningGroups.Remove(network, groups[0], [0]);

        // Original channels 0 and 3 are gone: the masked reference zeroes them where they are read.
        foreach (var (layer, block) in StructureCases.Get("residual").Readers["conv1+conv3+conv4"])
        {
            if (reference[layer].Layer is Conv2d conv)
            {
                var k = conv.Weight.Value;
                int plane = k.Dim(2) * k.Dim(3);
                for (int f = 0; f < k.Dim(0); f++)
                {
                    k.Span.Slice(((f * k.Dim(1)) + 0) * plane, plane).Clear();
                    k.Span.Slice(((f * k.Dim(1)) + 3) * plane, plane).Clear();
                }
            }
            else
            {
                var w = ((Dense)reference[layer].Layer).Weight.Value;
                Assert.AreEqual(1, block);
                for (int row = 0; row < w.Dim(0); row++)
                {
                    w[row, 0] = 0;
                    w[row, 3] = 0;
                }
            }
        }

        var input = StructureCases.Input(network);
        TensorAssert.AreClose(reference.Forward(input).Clone(), network.Forward(input), "twice pruned vs masked", 1e-5);
    }

    [TestMethod]
    public void Remove_UnitOutOfRange_ThrowsNamingGroupAndUnitAndChangesNothing()
    {
        var network = Mlp();
        long parameters = network.ParameterCount;
        var group = PruningGroups.Find(network)[1];

        var error = Assert.ThrowsException<ArgumentOutOfRangeException>(() => PruningGroups.Remove(network, group, [1, 4]));

        StringAssert.Contains(error.Message, "Group 'dense2': unit 4 is out of range");
        Assert.AreEqual(parameters, network.ParameterCount);
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => PruningGroups.Remove(network, group, [-1]));
    }

    [TestMethod]
    public void Remove_EveryUnit_ThrowsNamingTheGroup()
    {
        var network = Mlp();
        var group = PruningGroups.Find(network)[1];

        var error = Assert.ThrowsException<ArgumentException>(() => PruningGroups.Remove(network, group, [0, 1, 2, 3, 2]));

        StringAssert.Contains(error.Message, "Group 'dense2': removing all 4 units");
        Assert.AreEqual(4, ((Dense)network["dense2"].Layer).Outputs);
    }

    [TestMethod]
    public void Remove_NoUnits_ChangesNothing()
    {
        var network = Mlp();
        long parameters = network.ParameterCount;
        var weight = ((Dense)network["dense1"].Layer).Weight.Value;

        PruningGroups.Remove(network, PruningGroups.Find(network)[0], []);

        Assert.AreEqual(parameters, network.ParameterCount);
        Assert.AreSame(weight, ((Dense)network["dense1"].Layer).Weight.Value);
    }

    [TestMethod]
    public void Remove_GroupOfAnotherNetwork_ThrowsNamingTheGroup()
    {
        var group = PruningGroups.Find(Mlp())[0];

        var error = Assert.ThrowsException<ArgumentException>(() => PruningGroups.Remove(Mlp(), group, [0]));

        StringAssert.Contains(error.Message, "Group 'dense1' does not belong to this network");
        Assert.AreEqual("group", error.ParamName);
    }

    [TestMethod]
    public void Remove_GroupFoundBeforeAnEarlierRemoval_ThrowsAsOutOfDate()
    {
        var network = Mlp();
        var group = PruningGroups.Find(network)[0];
        PruningGroups.Remove(network, group, [2]);

        var error = Assert.ThrowsException<ArgumentException>(() => PruningGroups.Remove(network, group, [0]));

        StringAssert.Contains(error.Message, "Group 'dense1' is out of date: it was found with 5 units but its layers now have 4");
    }
}
