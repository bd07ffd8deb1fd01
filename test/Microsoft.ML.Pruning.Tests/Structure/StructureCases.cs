using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Tests.Structure;

/// <summary>
/// One network shape for the table-driven structural pruning tests, with hand-computed sizes before and after the
/// removal, and, per group, the layers that read the group's units (with the features each unit covers there), from
/// which the tests build the masked equivalent independently of the library's dependency analysis.
/// </summary>
/// <param name="Name">The case's name.</param>
/// <param name="Build">Builds the network (seeded, with non-trivial BatchNorm statistics).</param>
/// <param name="Remove">The groups the network must have, by name, each with the units to remove.</param>
/// <param name="Readers">Per group, the Dense or Conv2d layers reading its units, and the features per unit there (the plane size after a Flatten).</param>
/// <param name="Shapes">The shape of every parameter and buffer that changes (<c>layer.name</c>); the others keep theirs.</param>
/// <param name="ParametersBefore">The trainable values before.</param>
/// <param name="ParametersAfter">The trainable values after.</param>
/// <param name="MultiplyAddsBefore">One sample's multiply-adds before.</param>
/// <param name="MultiplyAddsAfter">One sample's multiply-adds after.</param>
internal sealed record StructureCase(
    string Name,
    Func<Network> Build,
    IReadOnlyDictionary<string, int[]> Remove,
    IReadOnlyDictionary<string, (string Layer, int Block)[]> Readers,
    IReadOnlyDictionary<string, int[]> Shapes,
    long ParametersBefore,
    long ParametersAfter,
    long MultiplyAddsBefore,
    long MultiplyAddsAfter);

/// <summary>The table of structural pruning cases: one per coupling the pruners handle.</summary>
internal static class StructureCases
{
    /// <summary>Gets the case names, as MSTest data rows.</summary>
    public static IEnumerable<object[]> Names => All.Select(c => new object[] { c.Name });

    /// <summary>Gets a case by name.</summary>
    public static StructureCase Get(string name) => All.Single(c => c.Name == name);

    /// <summary>Gets every case. Multiply-adds count Dense, Conv2d, BatchNorm, pooling, global pooling and Add, not activations.</summary>
    public static IReadOnlyList<StructureCase> All { get; } =
    [
        // dense1 6->5 (35), dense2 5->3 (18). MACs 30 + 15. After: dense1 6->3 (21), dense2 3->3 (12); MACs 18 + 9.
        new(
            "mlp",
            () => WithStatistics(new NetworkBuilder(6).Dense(5).Relu().Dropout(0.2f).Dense(3).Build(seed: 1)),
            Remove: new Dictionary<string, int[]> { ["dense1"] = [1, 3] },
            Readers: new Dictionary<string, (string, int)[]> { ["dense1"] = [("dense2", 1)] },
            Shapes: new Dictionary<string, int[]> { ["dense1.weight"] = [3, 6], ["dense1.bias"] = [3], ["dense2.weight"] = [3, 3] },
            ParametersBefore: 53, ParametersAfter: 33, MultiplyAddsBefore: 45, MultiplyAddsAfter: 27),

        // dense1 6->5 (35), bn1 (10), dense2 5->4 (24), dense3 4->3 (15) = 84; MACs 30 + 5 + 20 + 12 = 67.
        // After: dense1 6->3 (21), bn1 (6), dense2 3->3 (12), dense3 3->3 (12) = 51; MACs 18 + 3 + 9 + 9 = 39.
        new(
            "mlp_batchnorm",
            () => WithStatistics(new NetworkBuilder(6).Dense(5).BatchNorm().Relu().Dense(4).Tanh().Dense(3).Build(seed: 2)),
            Remove: new Dictionary<string, int[]> { ["dense1"] = [0, 4], ["dense2"] = [2] },
            Readers: new Dictionary<string, (string, int)[]> { ["dense1"] = [("dense2", 1)], ["dense2"] = [("dense3", 1)] },
            Shapes: new Dictionary<string, int[]>
            {
                ["dense1.weight"] = [3, 6], ["dense1.bias"] = [3],
                ["bn1.weight"] = [3], ["bn1.bias"] = [3], ["bn1.running_mean"] = [3], ["bn1.running_var"] = [3],
                ["dense2.weight"] = [3, 3], ["dense2.bias"] = [3], ["dense3.weight"] = [3, 3],
            },
            ParametersBefore: 84, ParametersAfter: 51, MultiplyAddsBefore: 67, MultiplyAddsAfter: 39),

        // conv1 2->4 3x3 on 6x6 (76), bn1 (8), maxpool to 3x3, conv2 4->3 3x3 pad 1 (111) = 195.
        // MACs: conv1 4·36·18 = 2592, bn1 144, maxpool 4·9·4 = 144, conv2 3·9·36 = 972; total 3852.
        // After: conv1 2->2 (38), bn1 (4), conv2 2->3 (57) = 99; MACs 1296 + 72 + 72 + 486 = 1926.
        new(
            "cnn",
            () => WithStatistics(new NetworkBuilder(2, 6, 6).Conv2d(4, 3, padding: 1).BatchNorm().Relu().MaxPool2d(2).Conv2d(3, 3, padding: 1).Build(seed: 3)),
            Remove: new Dictionary<string, int[]> { ["conv1"] = [0, 2] },
            Readers: new Dictionary<string, (string, int)[]> { ["conv1"] = [("conv2", 1)] },
            Shapes: new Dictionary<string, int[]>
            {
                ["conv1.weight"] = [2, 2, 3, 3], ["conv1.bias"] = [2],
                ["bn1.weight"] = [2], ["bn1.bias"] = [2], ["bn1.running_mean"] = [2], ["bn1.running_var"] = [2],
                ["conv2.weight"] = [3, 2, 3, 3],
            },
            ParametersBefore: 195, ParametersAfter: 99, MultiplyAddsBefore: 3852, MultiplyAddsAfter: 1926),

        // conv1 2->3 3x3 pad 1 on 5x5 (57), flatten 75, dense1 75->4 (304), dense2 4->2 (10) = 371; MACs 1350 + 300 + 8 = 1658.
        // After: conv1 2->2 (38), dense1 50->2 (102), dense2 2->2 (6) = 146; MACs 900 + 100 + 4 = 1004.
        new(
            "flatten",
            () => WithStatistics(new NetworkBuilder(2, 5, 5).Conv2d(3, 3, padding: 1).Relu().Flatten().Dense(4).Sigmoid().Dense(2).Build(seed: 4)),
            Remove: new Dictionary<string, int[]> { ["conv1"] = [1], ["dense1"] = [0, 3] },
            Readers: new Dictionary<string, (string, int)[]> { ["conv1"] = [("dense1", 25)], ["dense1"] = [("dense2", 1)] },
            Shapes: new Dictionary<string, int[]>
            {
                ["conv1.weight"] = [2, 2, 3, 3], ["conv1.bias"] = [2],
                ["dense1.weight"] = [2, 50], ["dense1.bias"] = [2], ["dense2.weight"] = [2, 2],
            },
            ParametersBefore: 371, ParametersAfter: 146, MultiplyAddsBefore: 1658, MultiplyAddsAfter: 1004),

        // conv1 1->2 3x3 pad 1 on 3x3 (20), flatten 18, bn1 over 18 features (36), dense1 18->2 (38) = 94; MACs 162 + 18 + 36 = 216.
        // After: conv1 1->1 (10), bn1 over 9 (18), dense1 9->2 (20) = 48; MACs 81 + 9 + 18 = 108.
        new(
            "flatten_batchnorm",
            () => WithStatistics(new NetworkBuilder(1, 3, 3).Conv2d(2, 3, padding: 1).Flatten().BatchNorm().Append(new LeakyRelu(0.1f)).Dense(2).Build(seed: 5)),
            Remove: new Dictionary<string, int[]> { ["conv1"] = [0] },
            Readers: new Dictionary<string, (string, int)[]> { ["conv1"] = [("dense1", 9)] },
            Shapes: new Dictionary<string, int[]>
            {
                ["conv1.weight"] = [1, 1, 3, 3], ["conv1.bias"] = [1],
                ["bn1.weight"] = [9], ["bn1.bias"] = [9], ["bn1.running_mean"] = [9], ["bn1.running_var"] = [9],
                ["dense1.weight"] = [2, 9],
            },
            ParametersBefore: 94, ParametersAfter: 48, MultiplyAddsBefore: 216, MultiplyAddsAfter: 108),

        // MobileNet-style on 3x6x6: conv1 3->4 3x3 pad 1 (112), bn1 (8), conv2 depthwise 4 3x3 pad 1 (40), bn2 (8),
        // conv3 pointwise 4->5 (25), gap, dense1 5->2 (12) = 205.
        // MACs: conv1 4·36·27 = 3888, bn1 144, conv2 4·36·9 = 1296, bn2 144, conv3 5·36·4 = 720, gap 180, dense1 10; total 6382.
        // After: conv1 3->2 (56), bn1 (4), conv2 depthwise 2 (20), bn2 (4), conv3 2->4 (12), dense1 4->2 (10) = 106.
        // MACs: 1944 + 72 + 648 + 72 + 288 + 144 + 8 = 3176.
        new(
            "depthwise",
            () => WithStatistics(new NetworkBuilder(3, 6, 6)
                .Conv2d(4, 3, padding: 1).BatchNorm().Relu()
                .Conv2d(4, 3, padding: 1, groups: 4).BatchNorm().Relu()
                .Conv2d(5, 1).Relu().GlobalAvgPool().Flatten().Dense(2).Build(seed: 6)),
            Remove: new Dictionary<string, int[]> { ["conv1"] = [1, 2], ["conv3"] = [0] },
            Readers: new Dictionary<string, (string, int)[]> { ["conv1"] = [("conv3", 1)], ["conv3"] = [("dense1", 1)] },
            Shapes: new Dictionary<string, int[]>
            {
                ["conv1.weight"] = [2, 3, 3, 3], ["conv1.bias"] = [2],
                ["bn1.weight"] = [2], ["bn1.bias"] = [2], ["bn1.running_mean"] = [2], ["bn1.running_var"] = [2],
                ["conv2.weight"] = [2, 1, 3, 3], ["conv2.bias"] = [2],
                ["bn2.weight"] = [2], ["bn2.bias"] = [2], ["bn2.running_mean"] = [2], ["bn2.running_var"] = [2],
                ["conv3.weight"] = [4, 2, 1, 1], ["conv3.bias"] = [4], ["dense1.weight"] = [2, 4],
            },
            ParametersBefore: 205, ParametersAfter: 106, MultiplyAddsBefore: 6382, MultiplyAddsAfter: 3176),

        // On 3x4x4: conv1 3->4 3x3 pad 1 (112), bn1 (8), block [conv2 4->3 3x3 pad 1 (111), conv3 3->4 1x1 (16)] add1,
        // block [conv4 4->4 1x1 (20), bn2 (8)] add2, gap, dense1 4->2 (10) = 285.
        // MACs: conv1 4·16·27 = 1728, bn1 64, conv2 3·16·36 = 1728, conv3 4·16·3 = 192, add1 64, conv4 4·16·4 = 256,
        // bn2 64, add2 64, gap 64, dense1 8; total 4232.
        // After: conv1 3->3 (84), bn1 (6), conv2 3->2 (56), conv3 2->3 (9), conv4 3->3 (12), bn2 (6), dense1 3->2 (8) = 181.
        // MACs: 1296 + 48 + 864 + 96 + 48 + 144 + 48 + 48 + 48 + 6 = 2646.
        new(
            "residual",
            () => WithStatistics(new NetworkBuilder(3, 4, 4)
                .Conv2d(4, 3, padding: 1).BatchNorm().Relu()
                .Residual(b => b.Conv2d(3, 3, padding: 1).Relu().Conv2d(4, 1)).Relu()
                .Residual(b => b.Conv2d(4, 1).BatchNorm()).Relu()
                .GlobalAvgPool().Flatten().Dense(2).Build(seed: 7)),
            Remove: new Dictionary<string, int[]> { ["conv1+conv3+conv4"] = [1], ["conv2"] = [0] },
            Readers: new Dictionary<string, (string, int)[]>
            {
                ["conv1+conv3+conv4"] = [("conv2", 1), ("conv4", 1), ("dense1", 1)],
                ["conv2"] = [("conv3", 1)],
            },
            Shapes: new Dictionary<string, int[]>
            {
                ["conv1.weight"] = [3, 3, 3, 3], ["conv1.bias"] = [3],
                ["bn1.weight"] = [3], ["bn1.bias"] = [3], ["bn1.running_mean"] = [3], ["bn1.running_var"] = [3],
                ["conv2.weight"] = [2, 3, 3, 3], ["conv2.bias"] = [2],
                ["conv3.weight"] = [3, 2, 1, 1], ["conv3.bias"] = [3],
                ["conv4.weight"] = [3, 3, 1, 1], ["conv4.bias"] = [3],
                ["bn2.weight"] = [3], ["bn2.bias"] = [3], ["bn2.running_mean"] = [3], ["bn2.running_var"] = [3],
                ["dense1.weight"] = [2, 3],
            },
            ParametersBefore: 285, ParametersAfter: 181, MultiplyAddsBefore: 4232, MultiplyAddsAfter: 2646),

        // RegNet-style on 4x5x5: conv1 4->8 1x1 (40), bn1 (16), conv2 8->8 3x3 pad 1 in 4 groups of 2 (152), bn2 (16),
        // conv3 8->3 1x1 (27), gap, dense1 3->2 (8) = 259.
        // MACs: conv1 8·25·4 = 800, bn1 200, conv2 8·25·18 = 3600, bn2 200, conv3 3·25·8 = 600, gap 75, dense1 6; total 5481.
        // Removing conv1's units 2, 3, 6, 7 removes conv2's groups 1 and 3: conv1 4->4 (20), bn1 (8), conv2 4->4 in 2
        // groups (76), bn2 (8), conv3 4->2 (10), dense1 2->2 (6) = 128; MACs 400 + 100 + 1800 + 100 + 200 + 50 + 4 = 2654.
        // The removed groups' outputs reach only conv3, so masking conv3's inputs is the equivalent.
        new(
            "grouped",
            () => WithStatistics(new NetworkBuilder(4, 5, 5)
                .Conv2d(8, 1).BatchNorm().Relu()
                .Conv2d(8, 3, padding: 1, groups: 4).BatchNorm().Relu()
                .Conv2d(3, 1).Relu().GlobalAvgPool().Flatten().Dense(2).Build(seed: 9)),
            Remove: new Dictionary<string, int[]> { ["conv1"] = [2, 3, 6, 7], ["conv3"] = [1] },
            Readers: new Dictionary<string, (string, int)[]> { ["conv1"] = [("conv3", 1)], ["conv3"] = [("dense1", 1)] },
            Shapes: new Dictionary<string, int[]>
            {
                ["conv1.weight"] = [4, 4, 1, 1], ["conv1.bias"] = [4],
                ["bn1.weight"] = [4], ["bn1.bias"] = [4], ["bn1.running_mean"] = [4], ["bn1.running_var"] = [4],
                ["conv2.weight"] = [4, 2, 3, 3], ["conv2.bias"] = [4],
                ["bn2.weight"] = [4], ["bn2.bias"] = [4], ["bn2.running_mean"] = [4], ["bn2.running_var"] = [4],
                ["conv3.weight"] = [2, 4, 1, 1], ["conv3.bias"] = [2], ["dense1.weight"] = [2, 2],
            },
            ParametersBefore: 259, ParametersAfter: 128, MultiplyAddsBefore: 5481, MultiplyAddsAfter: 2654),

        // conv1 2->4 3x3 on 5x5 gives 4x3x3 (76), 1x1 average pool, gap, dense1 4->3 (15) = 91.
        // MACs: conv1 4·9·18 = 648, avgpool 36, gap 36, dense1 12; total 732. After: conv1 2->2 (38), dense1 2->3 (9) = 47;
        // MACs 324 + 18 + 18 + 6 = 366.
        new(
            "global_pool",
            () => WithStatistics(new NetworkBuilder(2, 5, 5).Conv2d(4, 3).Relu().AvgPool2d(1).GlobalAvgPool().Flatten().Dense(3).Build(seed: 8)),
            Remove: new Dictionary<string, int[]> { ["conv1"] = [0, 3] },
            Readers: new Dictionary<string, (string, int)[]> { ["conv1"] = [("dense1", 1)] },
            Shapes: new Dictionary<string, int[]> { ["conv1.weight"] = [2, 2, 3, 3], ["conv1.bias"] = [2], ["dense1.weight"] = [3, 2] },
            ParametersBefore: 91, ParametersAfter: 47, MultiplyAddsBefore: 732, MultiplyAddsAfter: 366),
    ];

    /// <summary>Creates a seeded input batch of 4 samples for a network.</summary>
    public static FloatTensor Input(Network network, int seed = 11) => Batch(network.InputShape, seed);

    /// <summary>Creates a batch of 4 samples of the given per-sample shape, uniform in [-1, 1).</summary>
    public static FloatTensor Batch(int[] sampleShape, int seed)
    {
        var batch = new FloatTensor([4, .. sampleShape]);
        var random = new Random(seed);
        for (int i = 0; i < batch.Length; i++)
        {
            batch.Span[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return batch;
    }

    // BatchNorm starts as the identity; give it statistics so that dropping the wrong channel would show.
    private static Network WithStatistics(Network network)
    {
        var random = new Random(network.Nodes.Count);
        foreach (var norm in network.Nodes.Select(n => n.Layer).OfType<BatchNorm>())
        {
            for (int c = 0; c < norm.Channels; c++)
            {
                norm.Scale.Value.Span[c] = 0.5f + random.NextSingle();
                norm.Shift.Value.Span[c] = random.NextSingle() - 0.5f;
                norm.RunningMean.Value.Span[c] = (random.NextSingle() - 0.5f) * 0.4f;
                norm.RunningVariance.Value.Span[c] = 0.3f + random.NextSingle();
            }
        }

        return network;
    }
}
