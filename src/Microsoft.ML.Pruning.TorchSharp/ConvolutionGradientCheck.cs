using System.Globalization;
using Microsoft.ML.Pruning.TorchSharp.Layers;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp;

/// <summary>
/// Checks libtorch's CPU float32 <c>conv2d</c> input gradient against the same convolution in float64 (a different
/// kernel: oneDNN does not run float64), over convolution shapes like those of the networks this library prunes.
/// libtorch 2.10's float32 input gradient was reported to come back wrong intermittently on some AVX-512 machines (up
/// to 20 % of the largest value, sometimes NaN); <see cref="NativeInputGradientIsRight"/> runs a quick form of this
/// check once per process, and the backend's convolutions use <c>conv2d</c> only when it passes.
/// </summary>
internal static class ConvolutionGradientCheck
{
    /// <summary>The relative error (to the largest reference value) above which a gradient counts as wrong; float32 rounding stays near 1e-6.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>Gets the convolution shapes checked: plain, strided, 1x1, 7x7 stems, depthwise, grouped, dilated, small planes, odd batches.</summary>
    public static IReadOnlyList<ConvolutionShape> Shapes { get; } =
    [
        new(8, 16, 16, 16, 32, 3, 1, 1, 1, 1),
        new(8, 32, 8, 8, 64, 3, 2, 1, 1, 1),
        new(4, 3, 32, 32, 16, 7, 2, 3, 1, 1),
        new(8, 64, 4, 4, 64, 3, 1, 1, 1, 1),
        new(8, 64, 2, 2, 128, 3, 2, 1, 1, 1),
        new(8, 32, 16, 16, 32, 3, 1, 1, 1, 32),
        new(8, 32, 8, 8, 32, 3, 2, 1, 1, 32),
        new(8, 32, 8, 8, 64, 1, 1, 0, 1, 1),
        new(8, 64, 8, 8, 32, 1, 2, 0, 1, 1),
        new(4, 16, 12, 12, 16, 3, 1, 2, 2, 1),
        new(6, 16, 10, 10, 32, 3, 1, 1, 1, 4),
        new(33, 8, 7, 7, 16, 3, 1, 1, 1, 1),
        new(1, 96, 14, 14, 96, 5, 1, 2, 1, 96),
        new(32, 128, 8, 8, 128, 3, 1, 1, 1, 1),
        new(2, 1, 28, 28, 6, 5, 1, 0, 1, 1),
        new(32, 3, 64, 64, 64, 7, 2, 3, 1, 1),
    ];

    /// <summary>Gets the shapes of the start-up check: <see cref="Shapes"/> with at most 4 samples a batch.</summary>
    public static IReadOnlyList<ConvolutionShape> QuickShapes { get; } = Shapes.Select(s => s with { Batch = Math.Min(s.Batch, 4) }).ToArray();

    private static readonly Lazy<bool> Native = new(QuickCheck);

    /// <summary>
    /// Gets whether libtorch's CPU float32 <c>conv2d</c> input gradient matches float64 on every shape of
    /// <see cref="QuickShapes"/> in this process: checked once, at the first call, on one libtorch thread (about 0.2 s of
    /// CPU time; at two threads on a busy two-core machine libtorch's thread pool made it take seconds), with the CPU
    /// capability libtorch loaded with.
    /// </summary>
    public static bool NativeInputGradientIsRight => Native.Value;

    private static bool QuickCheck()
    {
        int threads = get_num_threads();
        set_num_threads(1);
        try
        {
            return Run(QuickShapes, repeats: 1, seed: 20250101, native: true).All(r => r.Faults == 0);
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    /// <summary>Runs every shape <paramref name="repeats"/> times with fresh random values and counts the wrong gradients.</summary>
    /// <param name="shapes">The shapes.</param>
    /// <param name="repeats">The repeats per shape.</param>
    /// <param name="seed">The seed of the values.</param>
    /// <param name="native">Whether to check libtorch's <c>conv2d</c> (else the backend's unfold path).</param>
    /// <returns>One result per shape.</returns>
    public static IReadOnlyList<ConvolutionCheckResult> Run(IReadOnlyList<ConvolutionShape> shapes, int repeats, int seed, bool native)
    {
        using var generator = new Generator((ulong)seed);
        var results = new List<ConvolutionCheckResult>(shapes.Count);
        foreach (var shape in shapes)
        {
            int faults = 0;
            double worstInput = 0, worstWeight = 0, worstOutput = 0;
            for (int r = 0; r < repeats; r++)
            {
                var (output, input, weight) = Compare(shape, generator, native);
                faults += input > Tolerance || double.IsNaN(input) ? 1 : 0;
                worstInput = double.IsNaN(input) ? double.NaN : Math.Max(worstInput, input);
                worstWeight = Math.Max(worstWeight, weight);
                worstOutput = Math.Max(worstOutput, output);
            }

            results.Add(new ConvolutionCheckResult(shape, repeats, faults, worstInput, worstWeight, worstOutput));
        }

        return results;
    }

    /// <summary>One float32 forward and backward against float64: the relative errors of the output, the input gradient and the weight gradient.</summary>
    private static (double Output, double Input, double Weight) Compare(ConvolutionShape s, Generator generator, bool native)
    {
        using var scope = NewDisposeScope();
        var x64 = (rand([s.Batch, s.InChannels, s.Height, s.Width], ScalarType.Float64, generator: generator) * 2) - 1;
        var w64 = ((rand([s.OutChannels, s.InChannels / s.Groups, s.Kernel, s.Kernel], ScalarType.Float64, generator: generator) * 2) - 1)
            / Math.Sqrt(s.InChannels / s.Groups * s.Kernel * s.Kernel);
        var (y32, gx32, gw32, g) = Gradients(x64.to(ScalarType.Float32), w64.to(ScalarType.Float32), s, generator, null, native);
        var (y64, gx64, gw64, _) = Gradients(x64, w64, s, generator, g.to(ScalarType.Float64), native: true);
        return (Relative(y32, y64), Relative(gx32, gx64), Relative(gw32, gw64));
    }

    private static (Tensor Output, Tensor InputGradient, Tensor WeightGradient, Tensor OutputGradient) Gradients(Tensor x, Tensor w, ConvolutionShape s, Generator generator, Tensor? outputGradient, bool native)
    {
        x = x.detach().requires_grad_(true);
        w = w.detach().requires_grad_(true);
        long[] stride = [s.Stride, s.Stride], padding = [s.Padding, s.Padding], dilation = [s.Dilation, s.Dilation];
        var y = native
            ? nn.functional.conv2d(x, w, null, stride, padding, dilation, s.Groups)
            : ConvolutionModule.Unfolded(x, w, null, [s.Kernel, s.Kernel], stride, padding, dilation, s.Groups);
        var g = outputGradient ?? ((rand(y.shape, y.dtype, generator: generator) * 2) - 1);
        y.backward([g]);
        return (y.detach(), x.grad!, w.grad!, g);
    }

    private static double Relative(Tensor value, Tensor reference)
    {
        var difference = (value.to(ScalarType.Float64) - reference).abs().max().item<double>();
        var scale = reference.abs().max().item<double>();
        return difference / Math.Max(scale, 1e-30);
    }
}

/// <summary>A convolution to check: input [batch, in, height, width], a square kernel, the same stride, padding and dilation on both axes.</summary>
internal sealed record ConvolutionShape(int Batch, int InChannels, int Height, int Width, int OutChannels, int Kernel, int Stride, int Padding, int Dilation, int Groups)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"[{Batch}, {InChannels}, {Height}, {Width}] -> {OutChannels}, k{Kernel} s{Stride} p{Padding} d{Dilation} g{Groups}");
}

/// <summary>What the check found for one shape.</summary>
/// <param name="Shape">The shape.</param>
/// <param name="Repeats">The number of runs.</param>
/// <param name="Faults">The runs whose input gradient was wrong (relative error above <see cref="ConvolutionGradientCheck.Tolerance"/>, or NaN).</param>
/// <param name="WorstInputGradient">The largest relative error of the input gradient.</param>
/// <param name="WorstWeightGradient">The largest relative error of the weight gradient.</param>
/// <param name="WorstOutput">The largest relative error of the output.</param>
internal sealed record ConvolutionCheckResult(ConvolutionShape Shape, int Repeats, int Faults, double WorstInputGradient, double WorstWeightGradient, double WorstOutput);
