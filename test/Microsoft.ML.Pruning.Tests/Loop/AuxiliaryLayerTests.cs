using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Loop;

[TestClass]
public sealed class AuxiliaryLayerTests
{
    private static string Layers(Network network) => string.Join(" ", network.Nodes.Select(n => n.Layer.Name));

    [TestMethod]
    public void Insert_TwoHiddenLayers_GoesAfterTheFirstActivationAndResizesTheNextDense()
    {
        var network = new NetworkBuilder(21).Dense(16).Relu().Dense(8).Relu().Dense(3).Build(seed: 1);
        var inserted = AuxiliaryLayer.Insert(network, 20, seed: 5);

        Assert.AreEqual("dense1 relu1 auxiliary_dense auxiliary_relu dense2 relu2 dense3", Layers(inserted));
        var auxiliary = (Dense)inserted["auxiliary_dense"].Layer;
        Assert.AreEqual(16, auxiliary.Inputs);
        Assert.AreEqual(20, auxiliary.Outputs);
        Assert.IsInstanceOfType<Relu>(inserted["auxiliary_relu"].Layer);
        CollectionAssert.AreEqual(new[] { 8, 20 }, ((Dense)inserted["dense2"].Layer).Weight.Value.Shape);
        CollectionAssert.AreEqual(new[] { 3 }, inserted.OutputShape);
        Assert.AreEqual(network.ParameterCount + (16 * 20) + 20 + (8 * (20 - 16)), inserted.ParameterCount);
        CollectionAssert.AreEqual(new[] { 8, 16 }, ((Dense)network["dense2"].Layer).Weight.Value.Shape, "the input network is not modified");
    }

    [TestMethod]
    public void Insert_KeepsEveryOtherLayerAndItsOutputs()
    {
        var network = new NetworkBuilder(21).Dense(16).Relu().Dense(8).Relu().Dense(3).Build(seed: 1);
        var mask = new FloatTensor(16, 21);
        mask.Span.Fill(1);
        mask.Span[..100].Clear();
        ((Dense)network["dense1"].Layer).Weight.Mask = mask;
        var inserted = AuxiliaryLayer.Insert(network, 12, seed: 5);

        var input = ScriptedPruning.RandomData(4, 21, seed: 3).Features;
        network.Forward(input);
        inserted.Forward(input);
        foreach (string name in new[] { "dense1", "relu1" })
        {
            CollectionAssert.AreEqual(network.OutputOf(network[name].Index)!.Span.ToArray(), inserted.OutputOf(inserted[name].Index)!.Span.ToArray(), name);
        }

        var dense1 = ((Dense)inserted["dense1"].Layer).Weight;
        CollectionAssert.AreEqual(mask.Span.ToArray(), dense1.Mask!.Span.ToArray(), "masks are kept");
        CollectionAssert.AreEqual(((Dense)network["dense1"].Layer).Weight.Value.Span.ToArray(), dense1.Value.Span.ToArray());
        CollectionAssert.AreEqual(((Dense)network["dense2"].Layer).Bias!.Value.Span.ToArray(), ((Dense)inserted["dense2"].Layer).Bias!.Value.Span.ToArray(), "the next layer keeps its bias");
        CollectionAssert.AreEqual(((Dense)network["dense3"].Layer).Weight.Value.Span.ToArray(), ((Dense)inserted["dense3"].Layer).Weight.Value.Span.ToArray());
        Assert.IsNull(((Dense)inserted["dense2"].Layer).Weight.Mask, "the fresh weight has no mask");
    }

    [TestMethod]
    public void Insert_ExtraUnitsWeights_AreSeededAndBoundedLikePyTorchLinear()
    {
        // 25 units after 16 inputs: 16 copy an input (issue 13, item 4), the other 9 start at random, seeded.
        var network = new NetworkBuilder(21).Dense(16).Tanh().Dense(8).Tanh().Dense(3).Build(seed: 1);
        var first = AuxiliaryLayer.Insert(network, 25, seed: 5);
        var again = AuxiliaryLayer.Insert(network, 25, seed: 5);
        var other = AuxiliaryLayer.Insert(network, 25, seed: 6);

        ScriptedPruning.AssertSameState(first, again);
        float[] Extra(Network n) => ((Dense)n["auxiliary_dense"].Layer).Weight.Value.Span.ToArray().Skip(16 * 16).ToArray();
        Assert.IsTrue(Extra(first).All(w => Math.Abs(w) <= 1 / Math.Sqrt(16)) && Extra(first).Max() > 0.2, "U(-1/sqrt(16), 1/sqrt(16))");
        CollectionAssert.AreNotEqual(Extra(first), Extra(other));
        Assert.IsInstanceOfType<Tanh>(first["auxiliary_tanh"].Layer, "the activation of the surrounding layers");
    }

    [TestMethod]
    public void Insert_HiddenLayerCounts_PickTheMiddleHiddenLayer()
    {
        // k = 1: after d_1; k = 3: after d_2 (ceil(3/2)); k = 4: after d_2.
        Assert.AreEqual("dense1 relu1 auxiliary_dense auxiliary_relu dense2",
            Layers(AuxiliaryLayer.Insert(new NetworkBuilder(4).Dense(6).Relu().Dense(2).Build(), 3, 0)));
        Assert.AreEqual("dense1 relu1 dense2 relu2 auxiliary_dense auxiliary_relu dense3 relu3 dense4",
            Layers(AuxiliaryLayer.Insert(new NetworkBuilder(4).Dense(6).Relu().Dense(5).Relu().Dense(4).Relu().Dense(2).Build(), 3, 0)));
        Assert.AreEqual("dense1 sigmoid1 dense2 sigmoid2 auxiliary_dense auxiliary_sigmoid dense3 sigmoid3 dense4 sigmoid4 dense5",
            Layers(AuxiliaryLayer.Insert(new NetworkBuilder(4).Dense(6).Sigmoid().Dense(5).Sigmoid().Dense(4).Sigmoid().Dense(3).Sigmoid().Dense(2).Build(), 3, 0)));
    }

    [TestMethod]
    public void Insert_ActivationPlacement_FollowsTheMiddleLayersChain()
    {
        // BatchNorm then LeakyReLU then Dropout: after the activation, with the same slope; no activation: ReLU at the chain's end.
        var leaky = new NetworkBuilder(4).Dense(6).BatchNorm().Append(new LeakyRelu(0.2f, "leaky")).Dropout(0.1f).Dense(2).Build();
        var inserted = AuxiliaryLayer.Insert(leaky, 3, 0);
        Assert.AreEqual("dense1 bn1 leaky auxiliary_dense auxiliary_leakyrelu dropout1 dense2", Layers(inserted));
        Assert.AreEqual(0.2f, ((LeakyRelu)inserted["auxiliary_leakyrelu"].Layer).Alpha);

        var linear = new NetworkBuilder(4).Dense(6).Dropout(0.1f).Dense(2).Build();
        Assert.AreEqual("dense1 dropout1 auxiliary_dense auxiliary_relu dense2", Layers(AuxiliaryLayer.Insert(linear, 3, 0)));
    }

    [TestMethod]
    public void Insert_UnsupportedNetworks_ThrowListingTheLayers()
    {
        var single = Assert.ThrowsException<InvalidOperationException>(() => AuxiliaryLayer.Insert(new NetworkBuilder(4).Dense(2).Build(), 3, 0));
        StringAssert.Contains(single.Message, "hidden Dense layer");
        StringAssert.Contains(single.Message, "dense1 (Dense)");

        var residual = new NetworkBuilder(4).Dense(4).Relu().Residual(b => b.Dense(4).Relu()).Dense(2).Build();
        var branching = Assert.ThrowsException<InvalidOperationException>(() => AuxiliaryLayer.Insert(residual, 3, 0));
        StringAssert.Contains(branching.Message, "'add1' (Add)");

        var softmax = new NetworkBuilder(4).Dense(4).Append(new Softmax("softmax")).Dense(2).Build();
        var between = Assert.ThrowsException<InvalidOperationException>(() => AuxiliaryLayer.Insert(softmax, 3, 0));
        StringAssert.Contains(between.Message, "'softmax' (Softmax)");

        Assert.AreEqual("units", Assert.ThrowsException<ArgumentOutOfRangeException>(() => AuxiliaryLayer.Insert(softmax, 0, 0)).ParamName);
    }
}
