using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>
/// The four models of the side-by-side benchmark and their "half-FLOPs" variants: the same architecture with fewer
/// units or filters, which is what structural pruning to half the multiply-adds produces. bench/models_torch.py
/// builds the same shapes in PyTorch; keep the two in step.
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
