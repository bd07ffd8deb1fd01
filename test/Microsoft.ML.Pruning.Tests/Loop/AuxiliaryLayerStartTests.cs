using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Loop;

/// <summary>The network with an auxiliary layer starts from what it computed (issue 13, item 4).</summary>
[TestClass]
public sealed class AuxiliaryLayerStartTests
{
    private static Network Mlp() => new NetworkBuilder(21).Dense(16).Relu().Dense(8).Relu().Dense(3).Build(seed: 1);

    private static float[] Outputs(Network network, FloatTensor input) => network.Forward(input).Span.ToArray();

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.AreEqual(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], actual[i], tolerance, $"output {i}");
        }
    }

    [TestMethod]
    public void Insert_AsManyUnitsAsInputsOrMore_ComputesWhatTheNetworkComputed()
    {
        // Before: the next Dense layer's weights were replaced by random ones and the outputs had nothing to do with these.
        var network = Mlp();
        var input = ScriptedPruning.RandomData(6, 21, seed: 3).Features;
        var expected = Outputs(network, input);
        foreach (int units in new[] { 16, 20, 60 })
        {
            AssertClose(expected, Outputs(AuxiliaryLayer.Insert(network, units, seed: 5), input), 1e-5f);
        }
    }

    [TestMethod]
    public void Insert_ExtraUnits_StartWithRandomInputsAndZeroOutgoingWeightsSoTheyCanLearn()
    {
        var inserted = AuxiliaryLayer.Insert(Mlp(), 20, seed: 5);
        var auxiliary = ((Dense)inserted["auxiliary_dense"].Layer).Weight.Value.Span.ToArray();
        var next = ((Dense)inserted["dense2"].Layer).Weight.Value.Span.ToArray();
        for (int k = 0; k < 16; k++)
        {
            CollectionAssert.AreEqual(Enumerable.Range(0, 16).Select(i => i == k ? 1f : 0f).ToArray(), auxiliary.Skip(k * 16).Take(16).ToArray(), $"unit {k} copies input {k}");
        }

        var extra = auxiliary.Skip(16 * 16).ToArray();
        Assert.IsTrue(extra.All(w => Math.Abs(w) <= 0.25f) && extra.Any(w => Math.Abs(w) > 0.1f), "U(±1/√16), like nn.Linear");
        for (int o = 0; o < 8; o++)
        {
            CollectionAssert.AreEqual(new float[4], next.Skip((o * 20) + 16).Take(4).ToArray(), $"output {o} reads the extra units with 0");
        }
    }

    [TestMethod]
    public void Insert_FewerUnitsThanInputs_CopiesTheInputsTheNextLayerWeighsMostAndDropsTheRest()
    {
        // 12 of 16 inputs: the expected network is the original with dense2's 4 lightest input columns zeroed.
        var network = Mlp();
        var next = ((Dense)network["dense2"].Layer).Weight.Value;
        var norms = Enumerable.Range(0, 16).Select(i => Enumerable.Range(0, 8).Sum(o => (double)next[o, i] * next[o, i])).ToArray();
        var dropped = Enumerable.Range(0, 16).OrderBy(i => norms[i]).Take(4).ToArray();
        var expectedNetwork = NetworkSerializer.Clone(network);
        var expectedNext = ((Dense)expectedNetwork["dense2"].Layer).Weight.Value;
        foreach (int i in dropped)
        {
            for (int o = 0; o < 8; o++)
            {
                expectedNext[o, i] = 0;
            }
        }

        var input = ScriptedPruning.RandomData(6, 21, seed: 3).Features;
        AssertClose(Outputs(expectedNetwork, input), Outputs(AuxiliaryLayer.Insert(network, 12, seed: 5), input), 1e-5f);
    }

    [TestMethod]
    public void Insert_NextLayerWithAMask_KeepsTheMaskOfTheCopiedInputs()
    {
        var network = Mlp();
        var dense2 = ((Dense)network["dense2"].Layer).Weight;
        var mask = new FloatTensor(8, 16);
        mask.Span.Fill(1);
        mask.Span[..40].Clear();
        dense2.Mask = mask;

        var inserted = ((Dense)AuxiliaryLayer.Insert(network, 18, seed: 5)["dense2"].Layer).Weight;
        Assert.IsNotNull(inserted.Mask);
        for (int o = 0; o < 8; o++)
        {
            CollectionAssert.AreEqual(mask.Span.Slice(o * 16, 16).ToArray(), inserted.Mask.Span.Slice(o * 18, 16).ToArray(), $"row {o}");
            CollectionAssert.AreEqual(new[] { 1f, 1f }, inserted.Mask.Span.Slice((o * 18) + 16, 2).ToArray(), "the extra units are free to learn");
        }
    }
}
