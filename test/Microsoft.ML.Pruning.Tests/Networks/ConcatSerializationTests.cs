using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tests.Structure;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

/// <summary>A node with many inputs (DenseNet's Concat of every earlier feature map) survives the native format.</summary>
[TestClass]
public sealed class ConcatSerializationTests
{
    [TestMethod]
    public void Clone_ConcatOfTwentyFeatureMaps_GivesTheSameOutputs()
    {
        var network = new Network(2, 3, 3);
        for (int i = 0; i < 20; i++)
        {
            network.Add(new Conv2d(2, 1, 1, name: $"conv{i + 1}"), NetworkNode.NetworkInput);
        }

        network.Add(new Concat(20, "concat1"), Enumerable.Range(0, 20).ToArray());
        var random = new Random(3);
        foreach (var node in network.Nodes)
        {
            node.Layer.ResetParameters(random);
        }

        var copy = NetworkSerializer.Clone(network);

        var input = StructureCases.Batch(network.InputShape, seed: 2);
        TensorAssert.AreClose(network.Forward(input).Clone(), copy.Forward(input), "cloned concat", 0);
    }
}
