using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

/// <summary>The native format (version 2) saves and loads every CNN-family layer with its configuration.</summary>
[TestClass]
public sealed class CnnLayerSerializerTests
{
    [TestMethod]
    public void SaveAndLoad_NetworkWithEveryCnnLayer_GivesTheSameLayersAndOutputs()
    {
        var network = EveryLayer();
        foreach (var parameter in network.Parameters)
        {
            var random = new Random(parameter.Length);
            for (int i = 0; i < parameter.Length; i++)
            {
                parameter.Value.Span[i] = random.NextSingle() - 0.5f;
            }
        }

        var input = new FloatTensor(2, 4, 9, 9);
        var random2 = new Random(3);
        for (int i = 0; i < input.Length; i++)
        {
            input.Span[i] = (random2.NextSingle() * 4) - 2;
        }

        var expected = network.Forward(input).Clone();
        using var stream = new MemoryStream();
        NetworkSerializer.Save(network, stream);
        stream.Position = 0;
        var loaded = NetworkSerializer.Load(stream);

        CollectionAssert.AreEqual(network.Nodes.Select(n => n.Layer.GetType()).ToArray(), loaded.Nodes.Select(n => n.Layer.GetType()).ToArray());
        CollectionAssert.AreEqual(expected.Data, loaded.Forward(input).Data, "The loaded network must compute bit-identical outputs.");
        var conv = (Conv2d)loaded["dilated"].Layer;
        Assert.AreEqual((2, 1), conv.Dilation);
        Assert.IsTrue(((MaxPool2d)loaded["ceil_max"].Layer).CeilMode);
        Assert.IsTrue(((AvgPool2d)loaded["ceil_avg"].Layer).CeilMode);
        var clip = (Clip)loaded["relu6"].Layer;
        Assert.AreEqual((0f, 6f), (clip.Min, clip.Max));
        var constant = (ConstantOperation)loaded["scale"].Layer;
        Assert.AreEqual((BinaryOperation.Subtract, true), (constant.Operation, constant.ConstantFirst));
        Assert.AreEqual(2, ((ChannelShuffle)loaded["shuffle"].Layer).Groups);
        Assert.AreEqual((1, 3), (((ChannelSlice)loaded["slice"].Layer).Start, ((ChannelSlice)loaded["slice"].Layer).Count));
    }

    private static Network EveryLayer()
    {
        var network = new Network(4, 9, 9);
        int pad = network.Add(new Pad2d((1, 0, 0, 1), 0.25f, "pad"), NetworkNode.NetworkInput);
        int conv = network.Add(new Conv2d(4, 4, (3, 3), (1, 1), (2, 1, 2, 1), (2, 1), name: "dilated"), pad);
        int max = network.Add(new MaxPool2d((3, 3), (2, 2), (0, 0, 0, 0), ceilMode: true, name: "ceil_max"), conv);
        int avg = network.Add(new AvgPool2d((3, 3), (2, 2), (1, 1, 1, 1), countIncludePad: false, ceilMode: true, name: "ceil_avg"), conv);
        int relu6 = network.Add(new Clip(0, 6, "relu6"), max);
        int hard = network.Add(new HardSigmoid(0.3f, 0.4f), relu6);
        int swish = network.Add(new HardSwish(), avg);
        int silu = network.Add(new Silu(), swish);
        int elu = network.Add(new Elu(0.5f), silu);
        int gelu = network.Add(new Gelu(tanhApproximation: true), elu);
        int gate = network.Add(new GlobalAvgPool(), gelu);
        int multiply = network.Add(new Multiply(), hard, gate);
        int subtract = network.Add(new Subtract(), multiply, hard);
        int divide = network.Add(new Divide(), subtract, network.Add(new ConstantOperation(BinaryOperation.Add, FloatTensor.FromValues([3f, 4f, 5f, 6f], 4, 1, 1)), gate));
        int scale = network.Add(new ConstantOperation(BinaryOperation.Subtract, FloatTensor.FromValues([0.5f, 1.5f, 2.5f, 3.5f, 4.5f], 5), constantFirst: true, name: "scale"), divide);
        int concat = network.Add(new Concat(3), scale, multiply, network.Add(new Add(), hard, hard));
        int shuffle = network.Add(new ChannelShuffle(2, "shuffle"), concat);
        network.Add(new ChannelSlice(1, 3, "slice"), shuffle);
        return network;
    }
}
