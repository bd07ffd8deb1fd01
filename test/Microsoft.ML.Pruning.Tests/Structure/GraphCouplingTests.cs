using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Structure;

/// <summary>
/// The couplings of the CNN families' graph layers: Concat index ranges, squeeze-excitation gates (Multiply between
/// feature maps), channel slices, per-channel constants, and channel shuffle (reported, never cut). Each removal is
/// checked against the unpruned network whose readers of the removed units (the channels listed by hand) are zeroed.
/// </summary>
[TestClass]
public sealed class GraphCouplingTests
{
    private const int Input = NetworkNode.NetworkInput;

    [TestMethod]
    public void Remove_UnitsOfConcatInputs_RemovesTheirRangesFromTheLayersAfterTheConcat()
    {
        // conv1 (3) and conv2 (2) concatenated: conv1's units are channels 0-2 of bn1 and conv3, conv2's channels 3-4.
        var network = new Network(2, 5, 5);
        network.Add(new Conv2d(2, 3, 3, padding: 1, name: "conv1"), Input);
        network.Add(new Conv2d(2, 2, 1, name: "conv2"), Input);
        network.Add(new Concat(2, "concat1"), 0, 1);
        network.Add(new BatchNorm(5, name: "bn1"));
        network.Add(new Relu());
        network.Add(new Conv2d(5, 4, 1, name: "conv3"));
        Head(network, 4);

        AssertRemovalMatchesMasking(network, [("conv2", [1]), ("conv1", [0, 2])], [("conv3", [0, 2, 4])]);
        Assert.AreEqual(2, ((BatchNorm)network["bn1"].Layer).Channels);
        CollectionAssert.AreEqual(new[] { 2, 5, 5 }, network["concat1"].OutputShape);
    }

    [TestMethod]
    public void Remove_UnitsConcatenatedWithThemselves_RemovesBothCopies()
    {
        var network = new Network(2, 4, 4);
        network.Add(new Conv2d(2, 3, 3, padding: 1, name: "conv1"), Input);
        network.Add(new Relu());
        network.Add(new Concat(2, "concat1"), 1, 1);
        network.Add(new Conv2d(6, 2, 1, name: "conv2"));
        Head(network, 2);

        AssertRemovalMatchesMasking(network, [("conv1", [1])], [("conv2", [1, 4])]);
        Assert.AreEqual(4, ((Conv2d)network["conv2"].Layer).InChannels);
    }

    [TestMethod]
    public void Find_SqueezeExcitationGate_CouplesTheGatesLastConvolutionWithTheGatedMap()
    {
        var network = SqueezeExcitation();

        var groups = PruningGroups.Find(network);

        CollectionAssert.AreEqual(new[] { "conv1+conv3", "conv2", "conv4" }, groups.Select(g => g.Name).ToArray());
        Assert.AreEqual("multiply1", groups[0].ActivationNode.Layer.Name);
    }

    [TestMethod]
    public void Remove_GatedUnits_RemovesTheGateFiltersAndTheSqueezeInputs()
    {
        var network = SqueezeExcitation();

        // The gated channels reach the squeeze (conv2, through the pooling) and conv4 (through the Multiply).
        AssertRemovalMatchesMasking(network, [("conv1+conv3", [1, 2])], [("conv2", [1, 2]), ("conv4", [1, 2])]);
        Assert.AreEqual(2, ((Conv2d)network["conv3"].Layer).OutChannels);
    }

    [TestMethod]
    public void Remove_UnitsBeforeAndInsideChannelSlices_MovesAndShrinksTheirRanges()
    {
        var network = new Network(2, 5, 5);
        network.Add(new Conv2d(2, 4, 3, padding: 1, name: "conv1"), Input);
        network.Add(new Relu());
        network.Add(new ChannelSlice(0, 2, "slice1"), 1);
        network.Add(new ChannelSlice(2, 2, "slice2"), 1);
        network.Add(new Conv2d(2, 3, 1, name: "conv2"), 2);
        network.Add(new Conv2d(2, 3, 1, name: "conv3"), 3);
        network.Add(new Concat(2, "concat1"), 4, 5);
        Head(network, 6);

        // conv1's unit 0 is slice1's channel 0, unit 3 slice2's channel 1; conv3's unit 2 is dense1's input 5.
        AssertRemovalMatchesMasking(network, [("conv1", [0, 3]), ("conv3", [2])], [("conv2", [0]), ("conv3", [1]), ("dense1", [5])]);
        var (slice1, slice2) = ((ChannelSlice)network["slice1"].Layer, (ChannelSlice)network["slice2"].Layer);
        Assert.AreEqual((0, 1, 1, 1), (slice1.Start, slice1.Count, slice2.Start, slice2.Count));
    }

    [TestMethod]
    public void Remove_UnitsOfASliceTakingTheMiddleOfAGroup_RemovesOnlyWhatTheSliceSees()
    {
        // slice1 keeps conv1's units 1 and 2; unit 0 lies before it, unit 3 after it.
        var network = new Network(2, 5, 5);
        network.Add(new Conv2d(2, 4, 3, padding: 1, name: "conv1"), Input);
        network.Add(new Relu());
        network.Add(new ChannelSlice(1, 2, "slice1"));
        network.Add(new Conv2d(2, 3, 1, name: "conv2"));
        Head(network, 3);

        AssertRemovalMatchesMasking(network, [("conv1", [0, 2, 3])], [("conv2", [1])]);
        var slice1 = (ChannelSlice)network["slice1"].Layer;
        Assert.AreEqual((0, 1), (slice1.Start, slice1.Count));
    }

    [TestMethod]
    public void Find_SliceCuttingThroughFlattenedChannels_SkipsTheGroupWithTheReason()
    {
        // conv1's 2 channels of 2x2 become features 0-3 and 4-7; slice1 keeps features 2-5.
        var network = new Network(2, 2, 2);
        network.Add(new Conv2d(2, 2, 1, name: "conv1"), Input);
        network.Add(new Relu());
        network.Add(new Flatten());
        network.Add(new ChannelSlice(2, 4, "slice1"));
        network.Add(new Dense(4, 3, name: "dense1"));
        network.Add(new Relu());
        network.Add(new Dense(3, 2, name: "dense2"));

        CollectionAssert.AreEqual(new[] { "dense1" }, PruningGroups.Find(network).Select(g => g.Name).ToArray());
        var skipped = PruningGroups.FindSkipped(network).Single(s => s.Name == "conv1");
        Assert.AreEqual("the channel slice 'slice1' cuts through its units' blocks", skipped.Reason);
    }

    [TestMethod]
    public void Find_SliceOfAGroupAddedToAnotherGroup_SkipsBothRatherThanPairUnitsWrongly()
    {
        // slice1 shows conv1's units 0-1 of 4; adding them to conv2's 2 units cannot merge the two groups unit by unit.
        var network = new Network(2, 4, 4);
        network.Add(new Conv2d(2, 4, 3, padding: 1, name: "conv1"), Input);
        network.Add(new ChannelSlice(0, 2, "slice1"));
        network.Add(new Conv2d(2, 2, 3, padding: 1, name: "conv2"), Input);
        network.Add(new Add("add1"), 1, 2);
        network.Add(new Conv2d(2, 3, 1, name: "conv3"));
        Head(network, 3);

        CollectionAssert.AreEqual(new[] { "conv3" }, PruningGroups.Find(network).Select(g => g.Name).ToArray());
        var skipped = PruningGroups.FindSkipped(network);
        Assert.AreEqual("only part of its units meet other units at 'add1'", skipped.Single(s => s.Name == "conv1").Reason);
        Assert.AreEqual("only part of its units meet other units at 'add1'", skipped.Single(s => s.Name == "conv2").Reason);
    }

    [TestMethod]
    public void Find_SiluOverAConcat_KeepsEachGroupsActivationAtItsOwnLayer()
    {
        // x · sigmoid(x) over concat1 joins each input group with itself; its output holds both groups, so neither reads it.
        var network = new Network(2, 4, 4);
        network.Add(new Conv2d(2, 3, 3, padding: 1, name: "conv1"), Input);
        network.Add(new Conv2d(2, 2, 3, padding: 1, name: "conv2"), Input);
        int concat = network.Add(new Concat(2, "concat1"), 0, 1);
        int gate = network.Add(new Sigmoid());
        network.Add(new Multiply("multiply1"), concat, gate);
        network.Add(new Conv2d(5, 3, 1, name: "conv3"));
        Head(network, 3);

        var groups = PruningGroups.Find(network);

        CollectionAssert.AreEqual(new[] { "conv1", "conv2", "conv3" }, groups.Select(g => g.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "conv1", "conv2" }, groups.Take(2).Select(g => g.ActivationNode.Layer.Name).ToArray());
        AssertRemovalMatchesMasking(network, [("conv2", [0]), ("conv1", [2])], [("conv3", [2, 3])]);
    }

    [TestMethod]
    public void Remove_UnitsScaledByAPerChannelConstant_RemovesTheConstantsEntries()
    {
        var network = new Network(2, 4, 4);
        network.Add(new Conv2d(2, 3, 3, padding: 1, name: "conv1"), Input);
        network.Add(new ConstantOperation(BinaryOperation.Multiply, FloatTensor.FromValues([0.5f, -2f, 3f], [3, 1, 1]), name: "scale1"));
        network.Add(new ConstantOperation(BinaryOperation.Add, FloatTensor.FromValues([0.1f, 0.2f, 0.3f, 0.4f], [4]), name: "shift1"));
        network.Add(new Relu());
        network.Add(new Conv2d(3, 2, 1, name: "conv2"));
        Head(network, 2);

        AssertRemovalMatchesMasking(network, [("conv1", [1])], [("conv2", [1])]);
        CollectionAssert.AreEqual(new[] { 0.5f, 3f }, ((ConstantOperation)network["scale1"].Layer).Constant.Value.Span.ToArray());
        Assert.AreEqual(4, ((ConstantOperation)network["shift1"].Layer).Constant.Value.Length, "the constant broadcast over channels stays");
    }

    [TestMethod]
    public void Find_ChannelShuffle_SkipsTheUnitsOnBothSidesAndKeepsTheOthers()
    {
        var network = new Network(2, 4, 4);
        network.Add(new Conv2d(2, 4, 3, padding: 1, name: "conv1"), Input);
        network.Add(new Relu());
        network.Add(new ChannelShuffle(2, "shuffle1"));
        network.Add(new Conv2d(4, 3, 1, name: "conv2"));
        Head(network, 3);

        CollectionAssert.AreEqual(new[] { "conv2" }, PruningGroups.Find(network).Select(g => g.Name).ToArray());
        var skipped = PruningGroups.FindSkipped(network);
        Assert.AreEqual("conv1", skipped[0].Name);
        StringAssert.StartsWith(skipped[0].Reason, "its units feed layer 'shuffle1', which shuffles channels across groups");
    }

    // conv1 (4) gated: gap, conv2 (squeeze to 2), relu, conv3 (excite to 4), sigmoid, multiply1 with relu1's map.
    private static Network SqueezeExcitation()
    {
        var network = new Network(3, 5, 5);
        network.Add(new Conv2d(3, 4, 3, padding: 1, name: "conv1"), Input);
        int map = network.Add(new Relu());
        network.Add(new GlobalAvgPool());
        network.Add(new Conv2d(4, 2, 1, name: "conv2"));
        network.Add(new Relu());
        network.Add(new Conv2d(2, 4, 1, name: "conv3"));
        int gate = network.Add(new Sigmoid());
        network.Add(new Multiply("multiply1"), map, gate);
        network.Add(new Conv2d(4, 3, 1, name: "conv4"));
        Head(network, 3);
        return network;
    }

    // ReLU, global pooling, flatten and dense1 to 2 outputs; then seeded weights.
    private static void Head(Network network, int channels)
    {
        network.Add(new Relu());
        network.Add(new GlobalAvgPool());
        network.Add(new Flatten());
        network.Add(new Dense(channels, 2, name: "dense1"));
        var random = new Random(5);
        foreach (var node in network.Nodes)
        {
            node.Layer.ResetParameters(random);
        }

        foreach (var norm in network.Nodes.Select(n => n.Layer).OfType<BatchNorm>())
        {
            for (int c = 0; c < norm.Channels; c++)
            {
                norm.RunningMean.Value.Span[c] = (random.NextSingle() - 0.5f) * 0.4f;
                norm.RunningVariance.Value.Span[c] = 0.3f + random.NextSingle();
            }
        }
    }

    private static void AssertRemovalMatchesMasking(Network network, (string Group, int[] Units)[] removals, (string Layer, int[] Channels)[] readers)
    {
        var reference = NetworkSerializer.Clone(network);
        foreach (var (name, units) in removals)
        {
            var group = PruningGroups.Find(network).Single(g => g.Name == name);
            PruningGroups.Remove(network, group, units);
        }

        foreach (var (name, channels) in readers)
        {
            var weight = reference[name].Layer switch
            {
                Conv2d conv => conv.Weight.Value,
                Dense dense => dense.Weight.Value,
                var other => throw new AssertFailedException($"reader '{other.Name}' is not a Conv2d or Dense"),
            };
            int inner = weight.Length / (weight.Dim(0) * weight.Dim(1));
            for (int row = 0; row < weight.Dim(0); row++)
            {
                foreach (int channel in channels)
                {
                    weight.Span.Slice(((row * weight.Dim(1)) + channel) * inner, inner).Clear();
                }
            }
        }

        Assert.IsTrue(network.ParameterCount < reference.ParameterCount, "parameters fall");
        var input = StructureCases.Batch(network.InputShape, seed: 3);
        var output = network.Forward(input).Clone();
        TensorAssert.AreClose(reference.Forward(input).Clone(), output, "pruned vs masked output", 1e-5);

        // The pruned network saves in both formats and trains (its backward pass sees the new shapes).
        using var folder = new TempDirectory();
        OnnxModel.Save(network, folder.File("pruned.onnx"));
        TensorAssert.AreClose(output, OnnxModel.Load(folder.File("pruned.onnx")).Forward(input), "ONNX round trip", 1e-6);
        TensorAssert.AreClose(output, NetworkSerializer.Clone(network).Forward(input), "native round trip", 0);
        network.Forward(input, training: true);
        network.Backward(new FloatTensor(output.Shape));
    }
}
