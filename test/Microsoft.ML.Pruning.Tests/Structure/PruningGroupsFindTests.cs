using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Structure;

[TestClass]
public sealed class PruningGroupsFindTests
{
    private static Network Mlp() => new NetworkBuilder(6).Dense(5).Relu().Dense(4).Relu().Dense(3).Build(seed: 1);

    [TestMethod]
    public void Find_Mlp_GroupsEveryHiddenLayerButNeverTheOutputLayer()
    {
        var network = Mlp();
        var groups = PruningGroups.Find(network);

        CollectionAssert.AreEqual(new[] { "dense1", "dense2" }, groups.Select(g => g.Name).ToArray());
        Assert.AreEqual(5, groups[0].UnitCount);
        Assert.AreEqual(4, groups[1].UnitCount);
        Assert.AreEqual(UnitKind.Neuron, groups[0].Kind);
        Assert.AreSame(network["dense1"], groups[0].Producers.Single());
        Assert.AreSame(network["relu1"], groups[0].ActivationNode);
        Assert.AreSame(network["relu2"], groups[1].ActivationNode);
    }

    [TestMethod]
    public void Find_OutputLayerNamed_ThrowsSayingItIsTheOutput()
    {
        var error = Assert.ThrowsException<ArgumentException>(() => PruningGroups.Find(Mlp(), new StructuredPruningOptions { Layers = ["dense3"] }));

        StringAssert.Contains(error.Message, "'dense3'");
        StringAssert.Contains(error.Message, "network's output");
    }

    [TestMethod]
    public void Find_OutputLayerBehindActivations_IsStillTheOutputLayer()
    {
        var network = new NetworkBuilder(4).Dense(3).Relu().Dense(2).Sigmoid().Dropout(0.1f).Build(seed: 1);

        CollectionAssert.AreEqual(new[] { "dense1" }, PruningGroups.Find(network).Select(g => g.Name).ToArray());
    }

    [TestMethod]
    public void Find_IncludeFirstLayerFalse_LeavesTheFirstLayersGroupOut()
    {
        var groups = PruningGroups.Find(Mlp(), new StructuredPruningOptions { IncludeFirstLayer = false });

        CollectionAssert.AreEqual(new[] { "dense2" }, groups.Select(g => g.Name).ToArray());
    }

    [TestMethod]
    public void Find_FirstLayerNamedWhileExcluded_ThrowsNamingBothOptions()
    {
        var options = new StructuredPruningOptions { IncludeFirstLayer = false, Layers = ["dense1"] };

        var error = Assert.ThrowsException<ArgumentException>(() => PruningGroups.Find(Mlp(), options));

        StringAssert.Contains(error.Message, "'dense1'");
        StringAssert.Contains(error.Message, "IncludeFirstLayer");
    }

    [TestMethod]
    public void Find_LayersOption_ReturnsOnlyTheNamedGroupsInNetworkOrder()
    {
        var network = new NetworkBuilder(6).Dense(5).Relu().Dense(4).Relu().Dense(4).Relu().Dense(3).Build(seed: 1);

        var groups = PruningGroups.Find(network, new StructuredPruningOptions { Layers = ["dense3", "dense1", "dense3"] });

        CollectionAssert.AreEqual(new[] { "dense1", "dense3" }, groups.Select(g => g.Name).ToArray());
    }

    [TestMethod]
    public void Find_UnknownLayerNamed_ThrowsNamingItAndListingPrunableLayers()
    {
        var error = Assert.ThrowsException<ArgumentException>(() => PruningGroups.Find(Mlp(), new StructuredPruningOptions { Layers = ["dense9"] }));

        StringAssert.Contains(error.Message, "StructuredPruningOptions.Layers");
        StringAssert.Contains(error.Message, "'dense9'");
        StringAssert.Contains(error.Message, "prunable layers: 'dense1', 'dense2'");
    }

    [TestMethod]
    public void Find_LayerWithoutUnitsNamed_ThrowsNamingItsType()
    {
        var error = Assert.ThrowsException<ArgumentException>(() => PruningGroups.Find(Mlp(), new StructuredPruningOptions { Layers = ["relu1"] }));

        StringAssert.Contains(error.Message, "'relu1', a Relu layer");
    }

    [TestMethod]
    public void Find_ResidualAdds_CoupleEveryProducerMeetingThereIntoOneGroup()
    {
        var network = StructureCases.Get("residual").Build();

        var groups = PruningGroups.Find(network);

        CollectionAssert.AreEqual(new[] { "conv1+conv3+conv4", "conv2" }, groups.Select(g => g.Name).ToArray());
        var residual = groups[0];
        CollectionAssert.AreEqual(new[] { network["conv1"], network["conv3"], network["conv4"] }, residual.Producers.ToArray());
        Assert.AreEqual(UnitKind.Filter, residual.Kind);
        Assert.AreEqual(4, residual.UnitCount);
        Assert.AreSame(network["relu4"], residual.ActivationNode, "the activation after the group's last Add");
        Assert.AreSame(network["relu2"], groups[1].ActivationNode);
    }

    [TestMethod]
    public void Find_AnyProducerOfAResidualGroupNamed_SelectsTheWholeGroup()
    {
        var network = StructureCases.Get("residual").Build();

        var groups = PruningGroups.Find(network, new StructuredPruningOptions { Layers = ["conv4"] });

        Assert.AreEqual("conv1+conv3+conv4", groups.Single().Name);
    }

    [TestMethod]
    public void Find_IdentityShortcutFromTheInput_IsNotPrunable()
    {
        var network = new NetworkBuilder(4).Residual(b => b.Dense(6).Relu().Dense(4)).Relu().Dense(2).Build(seed: 1);

        CollectionAssert.AreEqual(new[] { "dense1" }, PruningGroups.Find(network).Select(g => g.Name).ToArray());
        var error = Assert.ThrowsException<ArgumentException>(() => PruningGroups.Find(network, new StructuredPruningOptions { Layers = ["dense2"] }));
        StringAssert.Contains(error.Message, "'dense2'");
        StringAssert.Contains(error.Message, "network's input");
    }

    [TestMethod]
    public void Find_DepthwiseConvolution_IsCarriedByItsProducerNotAGroup()
    {
        var network = StructureCases.Get("depthwise").Build();

        var groups = PruningGroups.Find(network);

        CollectionAssert.AreEqual(new[] { "conv1", "conv3" }, groups.Select(g => g.Name).ToArray());
        Assert.AreSame(network["relu1"], groups[0].ActivationNode, "the chain stops before the depthwise convolution");
        var error = Assert.ThrowsException<ArgumentException>(() => PruningGroups.Find(network, new StructuredPruningOptions { Layers = ["conv2"] }));
        StringAssert.Contains(error.Message, "'conv2', a depthwise convolution");
        StringAssert.Contains(error.Message, "name 'conv1' instead");
    }

    [TestMethod]
    public void Find_SoftmaxInsideTheNetwork_BlocksTheLayerFeedingIt()
    {
        var network = new NetworkBuilder(6).Dense(5).Append(new Softmax()).Dense(4).Relu().Dense(3).Build(seed: 1);

        CollectionAssert.AreEqual(new[] { "dense2" }, PruningGroups.Find(network).Select(g => g.Name).ToArray());
        var error = Assert.ThrowsException<ArgumentException>(() => PruningGroups.Find(network, new StructuredPruningOptions { Layers = ["dense1"] }));
        StringAssert.Contains(error.Message, "'dense1', which cannot be pruned");
        StringAssert.Contains(error.Message, "'Softmax'");
    }

    [TestMethod]
    public void Find_FlattenFollowedByAnUnknownLayer_BlocksTheConvolutionAndNamesTheLayer()
    {
        var network = new NetworkBuilder(1, 4, 4).Conv2d(2, 3).Flatten().Append(new Identity("custom")).Dense(3).Relu().Dense(2).Build(seed: 1);

        CollectionAssert.AreEqual(new[] { "dense1" }, PruningGroups.Find(network).Select(g => g.Name).ToArray());
        var error = Assert.ThrowsException<ArgumentException>(() => PruningGroups.Find(network, new StructuredPruningOptions { Layers = ["conv1"] }));
        StringAssert.Contains(error.Message, "'custom'");
        StringAssert.Contains(error.Message, "Identity");
    }

    [TestMethod]
    public void Find_GroupedConvolution_IsNotPrunableAndBlocksItsInput()
    {
        var network = new NetworkBuilder(2, 5, 5).Conv2d(4, 3).Relu().Conv2d(6, 1, groups: 2).Relu().Conv2d(3, 1).Relu().GlobalAvgPool().Flatten().Dense(2).Build(seed: 1);

        CollectionAssert.AreEqual(new[] { "conv3" }, PruningGroups.Find(network).Select(g => g.Name).ToArray());
        var grouped = Assert.ThrowsException<ArgumentException>(() => PruningGroups.Find(network, new StructuredPruningOptions { Layers = ["conv2"] }));
        StringAssert.Contains(grouped.Message, "'conv2', which cannot be pruned: it is a grouped convolution (2 groups");
        var feeding = Assert.ThrowsException<ArgumentException>(() => PruningGroups.Find(network, new StructuredPruningOptions { Layers = ["conv1"] }));
        StringAssert.Contains(feeding.Message, "its units feed layer 'conv2', which is a grouped convolution");
    }

    [TestMethod]
    public void Find_AddOfTheOutputsOfTwoLayers_CouplesBothIntoOneGroup()
    {
        // Two parallel branches from one trunk, added: dense2 and dense3 meet at the Add; dense1 feeds both.
        var network = new Network(5);
        int trunk = network.Add(new Dense(5, 4, name: "dense1"));
        int relu = network.Add(new Relu("relu1"), trunk);
        int left = network.Add(new Dense(4, 3, name: "dense2"), relu);
        int right = network.Add(new Dense(4, 3, name: "dense3"), relu);
        int sum = network.Add(new Add("add1"), left, right);
        network.Add(new Tanh("tanh1"), sum);
        network.Add(new Dense(3, 2, name: "dense4"));

        var groups = PruningGroups.Find(network);

        CollectionAssert.AreEqual(new[] { "dense1", "dense2+dense3" }, groups.Select(g => g.Name).ToArray());
        Assert.AreSame(network["tanh1"], groups[1].ActivationNode);
        Assert.AreSame(network["relu1"], groups[0].ActivationNode, "relu1 feeds two layers: the chain ends there");
    }

    [TestMethod]
    public void Find_AddOfUnitsLaidOutDifferently_BlocksBothSides()
    {
        // conv1's 2 channels reach the Add as 2 blocks of 4 features; dense1's 8 units as single features.
        var network = new Network(1, 3, 3);
        network.Add(new Conv2d(1, 2, 2, name: "conv1"));
        int flat = network.Add(new Flatten("flatten1"));
        int dense = network.Add(new Dense(8, 8, name: "dense1"), flat);
        network.Add(new Add("add1"), flat, dense);
        network.Add(new Dense(8, 2, name: "dense2"));

        Assert.AreEqual(0, PruningGroups.Find(network).Count);
        var error = Assert.ThrowsException<ArgumentException>(() => PruningGroups.Find(network, new StructuredPruningOptions { Layers = ["dense1"] }));
        StringAssert.Contains(error.Message, "at 'add1' laid out differently");
    }

    [TestMethod]
    public void Find_NetworkWithoutHiddenLayers_HasNoGroups()
    {
        Assert.AreEqual(0, PruningGroups.Find(new NetworkBuilder(4).Dense(2).Build()).Count);
        Assert.AreEqual(0, PruningGroups.Find(new Network(3)).Count);
    }

    [TestMethod]
    public void Find_InvalidOptions_ThrowsNamingTheOption()
    {
        var error = Assert.ThrowsException<ArgumentOutOfRangeException>(() => PruningGroups.Find(Mlp(), new StructuredPruningOptions { RoundTo = 0 }));

        Assert.AreEqual("RoundTo", error.ParamName);
    }

    /// <summary>A layer type structural pruning does not know.</summary>
    private sealed class Identity(string name) : UnaryLayer(name)
    {
        public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes) => (int[])SingleInput(inputShapes).Clone();

        public override FloatTensor Forward(FloatTensor input, bool training) => input;

        protected override FloatTensor? BackwardCore(FloatTensor outputGradient) => outputGradient;
    }
}
