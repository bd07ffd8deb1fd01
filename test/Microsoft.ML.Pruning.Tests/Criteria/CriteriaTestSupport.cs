using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Criteria;

/// <summary>Hand-built networks, groups, data and a network snapshot shared by the criteria tests.</summary>
internal static class CriteriaTestSupport
{
    /// <summary>Builds the group of node <paramref name="producer"/>, read at node <paramref name="activation"/>.</summary>
    public static PruningGroup Group(Network network, int producer, int activation)
    {
        var node = network.Nodes[producer];
        int units = node.Layer switch
        {
            Dense dense => dense.Outputs,
            Conv2d conv => conv.OutChannels,
            _ => network.Nodes[activation].OutputShape[0],
        };
        var kind = node.Layer is Conv2d ? UnitKind.Filter : UnitKind.Neuron;
        return new PruningGroup(node.Layer.Name, kind, [node], network.Nodes[activation], units);
    }

    /// <summary>A Dense layer with the given weight rows and bias.</summary>
    public static Dense Dense(float[][] rows, float[]? bias = null, string? name = null)
    {
        var layer = new Dense(rows[0].Length, rows.Length, useBias: true, name: name);
        layer.Weight.Value.CopyFrom(FloatTensor.FromValues(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length));
        if (bias is not null)
        {
            layer.Bias!.Value.CopyFrom(FloatTensor.FromValues(bias, bias.Length));
        }

        return layer;
    }

    /// <summary>A data set of rows with the given labels (all 0 by default).</summary>
    public static Dataset Rows(float[][] rows, int[]? labels = null, int classes = 2) =>
        Dataset.FromArrays(rows, labels ?? new int[rows.Length], classes);

    /// <summary>Loads a fixture of test/fixtures/pruning into the network it describes.</summary>
    public static (Network Network, Dataset Data, TorchFixture Fixture) LoadFixture(string name)
    {
        var f = TorchFixture.Load("pruning", name);
        var network = name switch
        {
            "mlp_relu" => new NetworkBuilder(20).Dense(16).Relu().Dense(12).Relu().Dense(3).Build(),
            "mlp_sigmoid" => new NetworkBuilder(20).Dense(16).Sigmoid().Dense(12).Sigmoid().Dense(3).Build(),
            "cnn" => new NetworkBuilder(3, 8, 8)
                .Conv2d(6, 3, padding: 1).BatchNorm().Relu().MaxPool2d(2)
                .Conv2d(8, 3).Relu().Flatten().Dense(3).Build(),
            _ => throw new AssertFailedException($"No network is defined for fixture '{name}'."),
        };
        var parameters = network.Parameters.ToArray();
        Assert.AreEqual(f.ParameterOrder.Count, parameters.Length, "The network and the PyTorch model differ in parameter count.");
        for (int i = 0; i < parameters.Length; i++)
        {
            CopyInto(parameters[i], f.FloatTensor(f.ParameterOrder[i]));
        }

        var buffers = network.Nodes.Select(n => n.Layer).OfType<BatchNorm>().SelectMany(bn => new[] { bn.RunningMean, bn.RunningVariance }).ToArray();
        Assert.AreEqual(f.BufferOrder.Count, buffers.Length);
        for (int i = 0; i < buffers.Length; i++)
        {
            CopyInto(buffers[i], f.FloatTensor(f.BufferOrder[i]));
        }

        var input = f.FloatTensor("input");
        int[] labels = f.FloatTensor("labels").Span.ToArray().Select(v => (int)v).ToArray();
        var data = new Dataset(input, labels, f.Int("classes"));
        TensorAssert.AreClose(f.FloatTensor("output"), network.Forward(input), "logits", 1e-4);
        return (network, data, f);
    }

    /// <summary>The groups of a fixture network: its two hidden producers, read after their activations.</summary>
    public static PruningGroup[] FixtureGroups(Network network, string name) => name == "cnn"
        ? [Group(network, 0, 2), Group(network, 4, 5)]
        : [Group(network, 0, 1), Group(network, 2, 3)];

    /// <summary>The fixture's name for each group of <see cref="FixtureGroups"/>.</summary>
    public static string[] FixtureGroupNames(string name) => name == "cnn" ? ["conv1", "conv2"] : ["fc1", "fc2"];

    /// <summary>Copies every parameter, gradient and buffer of the network.</summary>
    public static float[][] Snapshot(Network network) =>
        network.Parameters.SelectMany(p => new[] { p.Value, p.Gradient })
            .Concat(network.Nodes.SelectMany(n => n.Layer.Buffers).Select(b => b.Value))
            .Select(t => t.Span.ToArray()).ToArray();

    /// <summary>Asserts that two snapshots are bit-identical.</summary>
    public static void AssertSameBits(float[][] before, float[][] after, string what)
    {
        Assert.AreEqual(before.Length, after.Length, $"{what}: the number of tensors changed.");
        for (int t = 0; t < before.Length; t++)
        {
            Assert.AreEqual(before[t].Length, after[t].Length, $"{what}: tensor {t} changed length.");
            for (int i = 0; i < before[t].Length; i++)
            {
                Assert.AreEqual(BitConverter.SingleToInt32Bits(before[t][i]), BitConverter.SingleToInt32Bits(after[t][i]), $"{what}: tensor {t} element {i} changed from {before[t][i]} to {after[t][i]}.");
            }
        }
    }

    /// <summary>Fills every parameter's gradient with a recognizable pattern.</summary>
    public static void FillGradients(Network network)
    {
        int k = 0;
        foreach (var parameter in network.Parameters)
        {
            var gradient = parameter.Gradient.Span;
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] = 0.25f * ((k++ % 7) - 3);
            }
        }
    }

    private static void CopyInto(Parameter parameter, FloatTensor value)
    {
        Assert.IsTrue(parameter.Value.HasShape(value.Shape), $"Parameter '{parameter.Name}' {FloatTensor.FormatShape(parameter.Value.Shape)} does not have the PyTorch shape {FloatTensor.FormatShape(value.Shape)}.");
        parameter.Value.CopyFrom(value);
    }
}
