using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Structure;

namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>
/// The four models of the side-by-side benchmark and their "half-FLOPs" variants: the same architecture with fewer
/// units or filters, which is what structural pruning to half the multiply-adds produces. bench/models_torch.py
/// builds the same shapes in PyTorch; keep the two in step. <see cref="Prune"/> produces the real thing: the full model
/// structurally pruned by the library to about half its multiply-adds.
/// </summary>
internal static class BenchmarkModels
{
    /// <summary>The model keys in table order.</summary>
    public static readonly string[] Names = ["mlp-a", "mlp-b", "lenet5", "vgg"];

    /// <summary>Gets a human-readable description of <paramref name="name"/>.</summary>
    /// <param name="name">A key from <see cref="Names"/>.</param>
    /// <returns>The description.</returns>
    public static string Describe(string name) => name switch
    {
        "mlp-a" => "MLP 784-300-100-10",
        "mlp-b" => "MLP 784-550-375x4-10",
        "lenet5" => "LeNet-5 conv6-conv16-fc120-84-10",
        "vgg" => "VGG conv32-conv64-pool-conv128-pool-fc256-10",
        _ => throw new ArgumentException($"Unknown model '{name}'; use one of {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>Whether the model reads [1, 28, 28] images rather than 784 flat features.</summary>
    /// <param name="name">A key from <see cref="Names"/>.</param>
    /// <returns><see langword="true"/> for the convolutional models.</returns>
    public static bool IsConvolutional(string name) => name is "lenet5" or "vgg";

    /// <summary>Builds a model.</summary>
    /// <param name="name">A key from <see cref="Names"/>.</param>
    /// <param name="half">Whether to build the variant with about half the multiply-adds.</param>
    /// <param name="seed">The initialization seed.</param>
    /// <returns>The network.</returns>
    public static Network Build(string name, bool half, int seed = 1) => name switch
    {
        // 784-157-52-10 keeps 49.5% of the multiply-adds of 784-300-100-10.
        "mlp-a" => Mlp(half ? [157, 52] : [300, 100], seed),

        // 784-349-238x4-10 keeps 49.8% of 784-550-375x4-10.
        "mlp-b" => Mlp(half ? [349, 238, 238, 238, 238] : [550, 375, 375, 375, 375], seed),

        // conv4-conv10-fc84-60 keeps 50.2% of conv6-conv16-fc120-84; same layers as samples/TrainFashionMnist.
        "lenet5" => LeNet(half ? (4, 10, 84, 60) : (6, 16, 120, 84), seed),

        // conv23-conv45-conv90-fc180 keeps 50.1% of conv32-conv64-conv128-fc256.
        "vgg" => Vgg(half ? (23, 45, 90, 180) : (32, 64, 128, 256), seed),
        _ => throw new ArgumentException($"Unknown model '{name}'; use one of {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>
    /// Builds the full model and prunes it structurally with <see cref="StructuredPruning"/> and
    /// <see cref="WeightNormImportance"/> (L1, per layer) at the rate whose multiply-adds come closest to
    /// <paramref name="targetRatio"/> of the full model's, found by bisection on the rate.
    /// </summary>
    /// <param name="name">A key from <see cref="Names"/>.</param>
    /// <param name="targetRatio">The fraction of the full model's multiply-adds to keep.</param>
    /// <param name="seed">The initialization seed (the weights the criterion ranks).</param>
    /// <returns>The pruned network and the rate that produced it.</returns>
    public static (Network Network, double Rate) Prune(string name, double targetRatio = 0.5, int seed = 1)
    {
        var full = Build(name, half: false, seed);
        double fullMacs = full.MultiplyAdds;
        var method = new StructuredPruning(new WeightNormImportance());
        (Network Network, double Ratio) At(double rate)
        {
            var copy = NetworkSerializer.Clone(full);
            method.Apply(copy, rate, null);
            return (copy, copy.MultiplyAdds / fullMacs);
        }

        // The multiply-adds fall with the rate in steps (each layer loses floor(rate · units)); close in on the step
        // that crosses the target and keep whichever side of it lands nearer.
        double low = 0, high = 0.95;
        var above = (Network: full, Ratio: 1.0);
        var below = At(high);
        for (int i = 0; i < 40 && high - low > 1e-6; i++)
        {
            double middle = (low + high) / 2;
            var trial = At(middle);
            if (trial.Ratio > targetRatio)
            {
                (low, above) = (middle, trial);
            }
            else
            {
                (high, below) = (middle, trial);
            }
        }

        return Math.Abs(above.Ratio - targetRatio) < Math.Abs(below.Ratio - targetRatio) ? (above.Network, low) : (below.Network, high);
    }

    /// <summary>Describes the widths of a network's Dense and Conv2d layers, such as "conv4-conv10-fc84-60-10".</summary>
    /// <param name="network">The network.</param>
    /// <returns>The widths in layer order.</returns>
    public static string Widths(Network network) =>
        string.Join("-", network.Nodes.Select(n => n.Layer switch
        {
            Dense dense => dense.Outputs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Conv2d conv => "c" + conv.OutChannels.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        }).Where(w => w is not null));

    private static Network Mlp(int[] hidden, int seed)
    {
        var builder = new NetworkBuilder(784);
        foreach (int width in hidden)
        {
            builder.Dense(width).Relu();
        }

        return builder.Dense(10).Build(seed);
    }

    private static Network LeNet((int Conv1, int Conv2, int Fc1, int Fc2) w, int seed) =>
        new NetworkBuilder(1, 28, 28)
            .Conv2d(w.Conv1, 5, padding: 2).Relu().MaxPool2d(2)
            .Conv2d(w.Conv2, 5).Relu().MaxPool2d(2)
            .Flatten().Dense(w.Fc1).Relu().Dense(w.Fc2).Relu().Dense(10).Build(seed);

    private static Network Vgg((int Conv1, int Conv2, int Conv3, int Fc) w, int seed) =>
        new NetworkBuilder(1, 28, 28)
            .Conv2d(w.Conv1, 3, padding: 1).Relu()
            .Conv2d(w.Conv2, 3, padding: 1).Relu().MaxPool2d(2)
            .Conv2d(w.Conv3, 3, padding: 1).Relu().MaxPool2d(2)
            .Flatten().Dense(w.Fc).Relu().Dense(10).Build(seed);
}
