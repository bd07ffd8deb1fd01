using Microsoft.ML.Pruning.Networks;
using static TorchSharp.torch;
using ManagedTensor = Microsoft.ML.Pruning.Tensors.FloatTensor;

namespace Microsoft.ML.Pruning.TorchSharp.Tests;

/// <summary>
/// Runs one batch through a managed network and through its TorchSharp twin, with the loss sum(output · R) for a fixed
/// random R, and asserts that outputs, parameter gradients and running statistics agree within a relative tolerance
/// (the largest difference over the largest reference magnitude).
/// </summary>
internal static class ConversionCheck
{
    public const double Tolerance = 1e-5;

    public static void AssertMatches(Network network, int batch = 4, int seed = 1, bool training = true)
    {
        var random = new Random(seed);
        var input = RandomTensor(random, [batch, .. network.InputShape]);
        using var torchNetwork = new TorchNetwork(network, CPU, seed);
        using var scope = NewDisposeScope();

        // The twin copied the weights before the managed pass, so both start from the same running statistics.
        var torchInput = TensorCopy.ToTorch(input, CPU);
        var torchOutput = torchNetwork.Forward(torchInput, training);
        var managedOutput = network.Forward(input, training).Clone();
        AssertClose(managedOutput.Span, ToArray(torchOutput), $"{network.Nodes[^1].Layer.Name} output");
        if (!training)
        {
            return;
        }

        var weights = RandomTensor(random, managedOutput.Shape);
        network.Backward(weights);
        (torchOutput * TensorCopy.ToTorch(weights, CPU)).sum().backward();
        // A gradient that is zero in exact arithmetic (a bias feeding a batch normalization) is compared against the
        // largest gradient of the network rather than against its own rounding noise.
        double floor = torchNetwork.Parameters.Max(p => MaxMagnitude(p.Managed.Gradient.Span));
        var failures = new List<string>();
        foreach (var (managed, torch) in torchNetwork.Parameters)
        {
            var layer = network.Nodes.First(n => n.Layer.Parameters.Contains(managed)).Layer.Name;
            var failure = Compare(managed.Gradient.Span, ToArray(torch.grad!), $"{layer}.{managed.Name} gradient", Tolerance, floor);
            if (failure is not null)
            {
                failures.Add(failure);
            }
        }

        Assert.AreEqual(0, failures.Count, string.Join(Environment.NewLine, failures));

        var copy = CloneState(network);
        torchNetwork.CopyTo();
        foreach (var (before, after) in copy.Zip(network.State))
        {
            AssertClose(before.Span, after.Value.Span, $"{after.Name} after copy-back");
        }
    }

    public static ManagedTensor RandomTensor(Random random, int[] shape)
    {
        var tensor = new ManagedTensor(shape);
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = (random.NextSingle() * 2) - 1;
        }

        return tensor;
    }

    public static void Randomize(Network network, int seed)
    {
        var random = new Random(seed);
        foreach (var node in network.Nodes)
        {
            if (node.Layer is BatchNorm batchNorm)
            {
                Fill(batchNorm.Scale.Value.Span, random, 0.5f, 1.5f);
                Fill(batchNorm.Shift.Value.Span, random, -0.5f, 0.5f);
                Fill(batchNorm.RunningMean.Value.Span, random, -0.5f, 0.5f);
                Fill(batchNorm.RunningVariance.Value.Span, random, 0.5f, 2f);
            }
        }
    }

    public static float[] ToArray(Tensor tensor)
    {
        using var host = tensor.detach().cpu().contiguous();
        return host.data<float>().ToArray();
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what, double tolerance = Tolerance)
    {
        var failure = Compare(expected, actual, what, tolerance, 0);
        Assert.IsNull(failure, failure);
    }

    private static string? Compare(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what, double tolerance, double floor)
    {
        if (expected.Length != actual.Length)
        {
            return $"{what}: {actual.Length} elements, expected {expected.Length}";
        }

        double scale = Math.Max(MaxMagnitude(expected), floor), difference = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            difference = Math.Max(difference, Math.Abs(expected[i] - actual[i]));
        }

        if (scale == 0 && difference == 0)
        {
            return null;
        }

        return scale > 0 && difference <= tolerance * scale
            ? null
            : $"{what}: largest difference {difference:E3} exceeds {tolerance:E0} of the largest magnitude {scale:E3}";
    }

    private static double MaxMagnitude(ReadOnlySpan<float> values)
    {
        double max = 0;
        foreach (float v in values)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    private static List<ManagedTensor> CloneState(Network network) => network.State.Select(p => p.Value.Clone()).ToList();

    private static void Fill(Span<float> span, Random random, float low, float high)
    {
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = low + (random.NextSingle() * (high - low));
        }
    }
}
