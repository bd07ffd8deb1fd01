using Microsoft.ML.Pruning.Networks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

/// <summary>Nonzero counting against hand-set weights.</summary>
[TestClass]
public sealed class NonzeroCountTests
{
    [TestMethod]
    public void Of_NetworkWithZeroedWeights_CountsTheRestOfEveryLayer()
    {
        // Dense 3->2 (6 weights, 2 biases) and Dense 2->2 (4 weights, 2 biases): 14 parameters.
        var network = new NetworkBuilder(3).Dense(2).Relu().Dense(2).Build(seed: 1);
        var layers = network.Nodes.Select(n => n.Layer).OfType<Dense>().ToArray();
        foreach (var parameter in network.Parameters)
        {
            parameter.Value.Span.Fill(0.5f);
        }

        layers[0].Weight.Value.Span[..4].Clear(); // 4 of the first layer's 6 weights
        layers[1].Bias!.Value.Span[0] = -0f;      // negative zero is zero

        Assert.AreEqual(14 - 4 - 1, NonzeroCount.Of(network));
        Assert.AreEqual(8 - 4, NonzeroCount.Of(layers[0]));
        Assert.AreEqual(6 - 1, NonzeroCount.Of(layers[1]));
        Assert.AreEqual(2, NonzeroCount.Of(layers[0].Weight));
    }

    [TestMethod]
    public void Of_Span_CountsNaNAsNonzero()
    {
        Assert.AreEqual(3, NonzeroCount.Of([0f, 1f, float.NaN, 0f, -2f]));
    }
}
