using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

[TestClass]
public sealed class NetworkTests
{
    [TestMethod]
    public void Build_LeNet5_HasHandCountedParametersAndMultiplyAdds()
    {
        var lenet = new NetworkBuilder(1, 28, 28)
            .Conv2d(6, 5, padding: 2).Relu().MaxPool2d(2)
            .Conv2d(16, 5).Relu().MaxPool2d(2)
            .Flatten().Dense(120).Relu().Dense(84).Relu().Dense(10).Build(seed: 1);

        // Parameters: conv1 6*25+6, conv2 16*6*25+16, fc 400*120+120, 120*84+84, 84*10+10.
        Assert.AreEqual(156 + 2416 + 48120 + 10164 + 850, lenet.ParameterCount);
        CollectionAssert.AreEqual(new[] { 10 }, lenet.OutputShape);

        // Multiply-adds of convolutions and dense layers (pooling counts its window reads too, so compare the layers alone).
        long convAndDense = lenet.Nodes.Where(n => n.Layer is Conv2d or Dense).Sum(n => n.Layer.CountMultiplyAdds(lenet.InputShapes(n)));
        Assert.AreEqual((6L * 28 * 28 * 25) + (16L * 10 * 10 * 150) + 48000 + 10080 + 840, convAndDense);
    }

    [TestMethod]
    public void Build_NamesLayersByKindAndPosition()
    {
        var network = new NetworkBuilder(4).Dense(3).Relu().Dense(2).Build();
        CollectionAssert.AreEqual(new[] { "dense1", "relu1", "dense2" }, network.Nodes.Select(n => n.Layer.Name).ToArray());
        Assert.AreSame(network.Nodes[2], network["dense2"]);
        Assert.ThrowsException<KeyNotFoundException>(() => network["conv1"]);
    }

    [TestMethod]
    public void Add_DuplicateName_IsMadeUnique()
    {
        var network = new Network(4);
        network.Add(new Relu());
        network.Add(new Relu());
        CollectionAssert.AreEqual(new[] { "Relu", "Relu_2" }, network.Nodes.Select(n => n.Layer.Name).ToArray());
    }

    [TestMethod]
    public void Add_MismatchedWidth_ThrowsNamingTheLayer()
    {
        var network = new Network(4);
        network.Add(new Dense(4, 3, name: "hidden"));
        var error = Assert.ThrowsException<ArgumentException>(() => network.Add(new Dense(5, 2, name: "output")));
        StringAssert.Contains(error.Message, "'output'");
        StringAssert.Contains(error.Message, "expects 5 input features, got 3");
    }

    [TestMethod]
    public void Residual_KnowsConsumersAndSumsGradientsOfBothBranches()
    {
        var network = new NetworkBuilder(3).Dense(3).Residual(b => b.Dense(3).Relu()).Build(seed: 4);
        Assert.AreEqual(4, network.Nodes.Count);
        CollectionAssert.AreEqual(new[] { 1, 3 }, network.ConsumersOf(0).ToArray());

        // d(sum(out))/d(x) through y = d0(x); out = y + relu(d1(y)) equals W0ᵀ (1 + W1ᵀ relu'(·)).
        var input = FloatTensor.FromValues([0.3f, -0.2f, 0.5f], 1, 3);
        var output = network.Forward(input, training: true);
        var ones = new FloatTensor(output.Shape);
        ones.Fill(1f);
        network.Backward(ones);
        var d0 = (Dense)network.Nodes[0].Layer;
        var d1 = (Dense)network.Nodes[1].Layer;
        var hidden = network.OutputOf(2)!;
        var gradY = new double[3];
        for (int j = 0; j < 3; j++)
        {
            gradY[j] = 1;
            for (int k = 0; k < 3; k++)
            {
                gradY[j] += hidden.Span[k] > 0 ? d1.Weight.Value[k, j] : 0;
            }
        }

        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.AreEqual(gradY[i] * input.Span[j], d0.Weight.Gradient[i, j], 1e-5, $"dW0[{i}, {j}]");
            }
        }
    }

    [TestMethod]
    public void Backward_AfterInferenceForward_ThrowsForEveryCachingLayer()
    {
        var network = new NetworkBuilder(1, 4, 4).Conv2d(2, 3, padding: 1).BatchNorm().Relu().Flatten().Dense(2).Build(seed: 1);
        var output = network.Forward(new FloatTensor(2, 1, 4, 4), training: false);
        var error = Assert.ThrowsException<InvalidOperationException>(() => network.Backward(new FloatTensor(output.Shape)));
        StringAssert.Contains(error.Message, "needs a preceding training Forward");
        foreach (var node in network.Nodes.Where(n => n.Layer is BatchNorm or Conv2d))
        {
            Assert.ThrowsException<InvalidOperationException>(() => node.Layer.Backward(new FloatTensor([2, .. node.OutputShape])), node.Layer.Name);
        }
    }

    [TestMethod]
    public void Forward_WrongInputShape_ThrowsNamingExpectedShape()
    {
        var network = new NetworkBuilder(1, 4, 4).Flatten().Dense(2).Build();
        var error = Assert.ThrowsException<ArgumentException>(() => network.Forward(new FloatTensor(2, 16)));
        StringAssert.Contains(error.Message, "[batch, 1, 4, 4]");
    }

    [TestMethod]
    public void Builder_DenseOnImage_ExplainsToFlattenFirst()
    {
        var error = Assert.ThrowsException<InvalidOperationException>(() => new NetworkBuilder(1, 4, 4).Dense(2));
        StringAssert.Contains(error.Message, "Flatten()");
    }

    [TestMethod]
    public void Checkpoint_RestoresValuesAndRejectsChangedArchitecture()
    {
        var network = new NetworkBuilder(2).Dense(2).BatchNorm().Build(seed: 1);
        var checkpoint = NetworkCheckpoint.Capture(network);
        var before = network.State.SelectMany(p => p.Value.Span.ToArray()).ToArray();
        foreach (var p in network.State)
        {
            p.Value.Fill(7f);
        }

        checkpoint.Restore(network);
        CollectionAssert.AreEqual(before, network.State.SelectMany(p => p.Value.Span.ToArray()).ToArray());
        var other = new NetworkBuilder(2).Dense(3).Build();
        Assert.ThrowsException<InvalidOperationException>(() => checkpoint.Restore(other));
    }
}
