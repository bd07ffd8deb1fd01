using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// Networks shaped like pruned ones (odd, uneven widths; masked weights; every layer kind the engine has) for the
/// export tests, each with a seeded input batch.
/// </summary>
internal static class ExportNetworks
{
    /// <summary>Gets the network names, as MSTest data rows.</summary>
    public static IEnumerable<object[]> Names => Builders.Keys.Select(name => new object[] { name });

    private static readonly Dictionary<string, Func<Network>> Builders = new()
    {
        ["pruned_mlp"] = () => new NetworkBuilder(20)
            .Dense(13).Relu().Dropout(0.2f).Dense(7).Append(new LeakyRelu(0.05f)).Dense(5, useBias: false).Sigmoid()
            .Dense(3).Append(new Softmax()).Build(seed: 3),
        ["pruned_cnn"] = () => new NetworkBuilder(3, 11, 9)
            .Conv2d(5, 3, padding: 1).BatchNorm().Relu()
            .Conv2d(5, 3, padding: 1, groups: 5, useBias: false).BatchNorm().Tanh()
            .MaxPool2d(2)
            .Append(new Conv2d(5, 6, (3, 2), (2, 1), (1, 0, 0, 1), name: "asymmetric"))
            .Append(new AvgPool2d((2, 2), (1, 1), (1, 1, 0, 0), countIncludePad: false, name: "avg_exclude_pad"))
            .Append(new AvgPool2d((3, 3), (2, 2), (1, 1, 1, 1), countIncludePad: true, name: "avg_include_pad"))
            .Append(new MaxPool2d((2, 3), (1, 1), (1, 1, 0, 1), name: "max_padded"))
            .Flatten().Dense(4).Build(seed: 4),
        ["pruned_residual"] = () => new NetworkBuilder(4, 8, 8)
            .Conv2d(6, 3, padding: 1).BatchNorm().Relu()
            .Residual(b => b.Conv2d(6, 3, padding: 1).BatchNorm().Relu().Conv2d(6, 1))
            .Relu().AvgPool2d(2).GlobalAvgPool().Flatten().Dense(5).BatchNorm().Dropout().Build(seed: 5),
        ["empty"] = () => new Network(2, 3),
        ["dropout_only"] = () => new NetworkBuilder(6).Dropout(0.1f).Build(),
    };

    /// <summary>Builds a network by name, with non-trivial BatchNorm statistics and a weight mask on the first layer.</summary>
    /// <param name="name">The network name.</param>
    /// <returns>The network.</returns>
    public static Network Create(string name)
    {
        var network = Builders[name]();
        var random = new Random(name.Length);
        foreach (var norm in network.Nodes.Select(n => n.Layer).OfType<BatchNorm>())
        {
            Fill(norm.RunningMean.Value, random, -0.5f, 0.5f);
            Fill(norm.RunningVariance.Value, random, 0.3f, 2f);
            Fill(norm.Scale.Value, random, 0.5f, 1.5f);
            Fill(norm.Shift.Value, random, -0.2f, 0.2f);
        }

        if (network.Parameters.FirstOrDefault() is { } first)
        {
            var mask = new FloatTensor(first.Value.Shape);
            for (int i = 0; i < mask.Length; i++)
            {
                mask.Span[i] = i % 3 == 0 ? 0 : 1;
            }

            first.Mask = mask;
        }

        return network;
    }

    /// <summary>Creates a seeded input batch of 3 for a network.</summary>
    /// <param name="network">The network.</param>
    /// <returns>The input.</returns>
    public static FloatTensor Input(Network network)
    {
        var input = new FloatTensor([3, .. network.InputShape]);
        Fill(input, new Random(17), -2f, 2f);
        return input;
    }

    private static void Fill(FloatTensor tensor, Random random, float low, float high)
    {
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = low + ((high - low) * random.NextSingle());
        }
    }
}
