using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Structure;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Structure;

/// <summary>
/// Grouped convolutions with as many output as input channels (RegNet, ResNeXt) lose whole groups, together with the
/// units of the layer that feeds them; the table-driven case "grouped" checks sizes and outputs.
/// </summary>
[TestClass]
public sealed class GroupedConvolutionTests
{
    // conv1 4->8, conv2 8->8 in 4 groups of 2, conv3 8->3.
    private static Network Network() => new NetworkBuilder(4, 5, 5)
        .Conv2d(8, 1).BatchNorm().Relu()
        .Conv2d(8, 3, padding: 1, groups: 4).BatchNorm().Relu()
        .Conv2d(3, 1).Relu().GlobalAvgPool().Flatten().Dense(2).Build(seed: 9);

    [TestMethod]
    public void Find_GroupFeedingAGroupedConvolution_HasTheGroupSizeAsBlockSize()
    {
        var groups = PruningGroups.Find(Network());

        Assert.AreEqual("conv1 (8 filters), conv3 (3 filters)", string.Join(", ", groups));
        Assert.AreEqual(2, groups[0].BlockSize);
        Assert.AreEqual(1, groups[1].BlockSize);
    }

    [TestMethod]
    public void Remove_PartOfAGroup_ThrowsNamingTheBlockAndChangesNothing()
    {
        var network = Network();
        var group = PruningGroups.Find(network)[0];

        var error = Assert.ThrowsException<ArgumentException>(() => PruningGroups.Remove(network, group, [2, 3, 4]));

        StringAssert.Contains(error.Message, "Group 'conv1': units go in whole blocks of 2");
        StringAssert.Contains(error.Message, "units 4 to 5");
        Assert.AreEqual(8, ((Conv2d)network["conv1"].Layer).OutChannels);
        Assert.AreEqual(4, ((Conv2d)network["conv2"].Layer).Groups);
    }

    [TestMethod]
    public void Apply_HalfTheUnits_RemovesTheTwoGroupsWithTheLowestMeanScore()
    {
        var network = Network();

        // Block means: (1+9)/2 = 5, (2+2)/2 = 2, (7+8)/2 = 7.5, (0+3)/2 = 1.5, so blocks 3 and 1 go (units 2, 3, 6, 7),
        // although unit 0 alone scores lower than unit 3.
        var scores = new Dictionary<string, float[]> { ["conv1"] = [1, 9, 2, 2, 7, 8, 0, 3], ["conv3"] = [3, 2, 1] };
        int removed = new StructuredPruning(ScriptedImportance.Fixed(scores), new StructuredPruningOptions { Layers = ["conv1"] }).Apply(network, 0.5, null);

        Assert.AreEqual(4, removed);
        var conv2 = (Conv2d)network["conv2"].Layer;
        Assert.AreEqual(2, conv2.Groups);
        Assert.AreEqual(4, conv2.OutChannels);
        Assert.AreEqual(4, ((Conv2d)network["conv1"].Layer).OutChannels);
    }

    [TestMethod]
    [DataRow(0.5, 4, 1, 4, DisplayName = "MinimumUnits 4: half the channels go, 4 are left")]
    [DataRow(0.75, 1, 4, 4, DisplayName = "RoundTo 4: the 2 channels left round up to 4")]
    [DataRow(0.75, 5, 1, 2, DisplayName = "MinimumUnits 5: 5 channels kept, rounded up to whole blocks, 6")]
    public void MinimumUnitsAndRoundTo_OfAGroupFeedingAGroupedConvolution_CountChannelsNotBlocks(double rate, int minimumUnits, int roundTo, int removedChannels)
    {
        // Issue 19 item 7: conv1's 8 channels go in 4 blocks of 2, and MinimumUnits and RoundTo counted blocks, so
        // MinimumUnits 4 kept all 4 blocks (8 channels) and RoundTo 4 rounded 1 block up to 4; each case removed nothing.
        var network = Network();
        var scores = new Dictionary<string, float[]> { ["conv1"] = [1, 9, 2, 2, 7, 8, 0, 3], ["conv3"] = [3, 2, 1] };
        var options = new StructuredPruningOptions { Layers = ["conv1"], MinimumUnits = minimumUnits, RoundTo = roundTo };

        int removed = new StructuredPruning(ScriptedImportance.Fixed(scores), options).Apply(network, rate, null);

        Assert.AreEqual(removedChannels, removed);
        Assert.AreEqual(8 - removedChannels, ((Conv2d)network["conv1"].Layer).OutChannels);
        Assert.AreEqual((8 - removedChannels) / 2, ((Conv2d)network["conv2"].Layer).Groups, "whole groups go");
    }

    [TestMethod]
    public void GlobalRanking_BlocksCountTheirChannelsAgainstTheBudget()
    {
        // 11 units in all (conv1's 8 channels in blocks of 2, conv3's 3); half is 5 units. conv1's block means are 5, 2,
        // 7.5 and 1.5: blocks 3 and 1 go (4 channels); block 0 would overshoot the budget and is passed over, so conv3's
        // lowest unit makes up the fifth. Counted in blocks (7 candidates, half is 3), blocks 3, 1 and 0 went: 6 channels.
        var network = Network();
        var scores = new Dictionary<string, float[]> { ["conv1"] = [1, 9, 2, 2, 7, 8, 0, 3], ["conv3"] = [30, 20, 10] };

        int removed = new StructuredPruning(ScriptedImportance.Fixed(scores), new StructuredPruningOptions { Ranking = RankingScope.Global }).Apply(network, 0.5, null);

        Assert.AreEqual(5, removed);
        Assert.AreEqual(4, ((Conv2d)network["conv1"].Layer).OutChannels);
        Assert.AreEqual(2, ((Conv2d)network["conv3"].Layer).OutChannels);
    }

    [TestMethod]
    public void Find_GroupedConvolutionWithAChannelMultiplier_StaysOpaque()
    {
        var network = new NetworkBuilder(2, 5, 5).Conv2d(4, 3).Relu().Conv2d(8, 1, groups: 2).Relu().Conv2d(3, 1).Relu().GlobalAvgPool().Flatten().Dense(2).Build(seed: 1);

        var error = Assert.ThrowsException<ArgumentException>(() => PruningGroups.Find(network, new StructuredPruningOptions { Layers = ["conv1"] }));

        StringAssert.Contains(error.Message, "its units feed layer 'conv2', which is a grouped convolution (2 groups, 4 input and 8 output channels)");
    }
}
