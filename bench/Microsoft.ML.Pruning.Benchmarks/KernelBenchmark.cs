using System.Globalization;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>
/// Single kernels in isolation, timed by the calling thread's CPU time (fastest of N, after warm-up), so that other
/// work on a shared machine does not count: the depthwise layouts by plane size, the transposes around them, and the
/// element-wise candidates (this engine's loops against System.Numerics.Tensors.TensorPrimitives).
/// Usage: <c>--kernels [--iterations 200]</c> (1 thread).
/// </summary>
internal static class KernelBenchmark
{
    public static int Run(string[] args)
    {
        int iterations = int.Parse(ModelBenchmark.Option(args, "--iterations") ?? "200", CultureInfo.InvariantCulture);
        ComputeSettings.DegreeOfParallelism = 1;
        Console.WriteLine(Machine.Describe());
        Console.WriteLine($"thread-CPU µs, fastest of {iterations}");
        if (args.Contains("--prefetch"))
        {
            PrefetchedDots(iterations);
            return 0;
        }

        if (args.Contains("--few-columns"))
        {
            FewColumns(iterations);
            return 0;
        }

        if (args.Contains("--gemm"))
        {
            ConvolutionGemms(iterations);
            return 0;
        }

        if (!args.Contains("--elementwise"))
        {
            Depthwise(iterations, int.Parse(ModelBenchmark.Option(args, "--batch") ?? "32", CultureInfo.InvariantCulture));
        }

        ElementwiseKernels.Run(iterations);
        return 0;
    }

    /// <summary>Times <paramref name="action"/>: the fastest of <paramref name="iterations"/> calls, in thread-CPU microseconds.</summary>
    public static double Time(Action action, int iterations)
    {
        // Past .NET's tier-0 window: at least 50 calls and half a second, with a pause for the tier-1 compile.
        var warm = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 50 || warm.Elapsed.TotalSeconds < 0.5; i++)
        {
            action();
            if (i == 40)
            {
                Thread.Sleep(200);
            }
        }

        double best = double.MaxValue;
        for (int i = 0; i < iterations; i++)
        {
            double start = Machine.ThreadCpuSeconds();
            action();
            best = Math.Min(best, Machine.ThreadCpuSeconds() - start);
        }

        return best * 1e6;
    }

    // The GEMM shapes of resnet18's and mobilenet_v2's convolutions at 3x64x64, batch 32 (M filters, N block columns, K rows),
    // against a square product; then a whole 3x3 convolution layer, to see what im2col and the copies add.
    private static void ConvolutionGemms(int iterations)
    {
        Console.WriteLine("GEMM GFLOP/s, C = A·B (M x K times K x N), 1 thread");
        foreach (var (m, n, k) in new[] { (1024, 1024, 1024), (64, 1024, 576), (128, 1024, 1152), (256, 1024, 2304), (512, 1024, 4608), (96, 1024, 16), (144, 1024, 24), (24, 1024, 144), (1280, 1024, 320) })
        {
            var a = new float[m * k];
            var b = new float[k * n];
            var c = new float[m * n];
            new Random(1).NextBytes(new byte[1]);
            Array.Fill(a, 0.5f);
            Array.Fill(b, 0.25f);
            double us = Time(() => Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n), Math.Max(5, iterations / 10));
            Console.WriteLine($"  {m,5} x {n,5} x {k,5}: {2.0 * m * n * k / us / 1e3,7:F1}");
        }

        Console.WriteLine("whole convolution layers at batch 32, GFLOP/s by the columns per block (SampleBlocks.TargetColumns): inference | training forward+backward");
        int saved = SampleBlocks.TargetColumns;
        foreach (var (channels, size, kernel) in new[] { (64, 16, 3), (128, 8, 3), (256, 4, 3), (512, 2, 3), (96, 16, 1), (384, 4, 1), (960, 2, 1) })
        {
            var conv = new Conv2d(channels, kernel == 1 ? channels / 4 : channels, kernel, padding: kernel / 2);
            conv.ResetParameters(new Random(1));
            var input = new FloatTensor(32, channels, size, size);
            input.Fill(0.5f);
            var gradient = new FloatTensor(conv.Forward(input, training: true).Shape);
            gradient.Fill(0.1f);
            double flops = 2.0 * 32 * conv.CountMultiplyAdds([[channels, size, size]]);
            string line = $"  conv {kernel}x{kernel} {channels,3}->{conv.OutChannels,3} on {size,2}x{size,-2}:";
            foreach (int target in new[] { 128, 256, 512, 1024, 2048 })
            {
                SampleBlocks.TargetColumns = target;
                double inference = Time(() => conv.Forward(input, training: false), Math.Max(5, iterations / 10));
                double training = Time(() => { conv.Forward(input, training: true); conv.Backward(gradient); }, Math.Max(3, iterations / 20));
                line += $"  {target}: {flops / inference / 1e3,5:F1} | {3 * flops / training / 1e3,5:F1}";
            }

            Console.WriteLine(line);
        }

        SampleBlocks.TargetColumns = saved;
    }

    // 1x1 convolutions of one sample on a small plane (batch 1, late layers): the few-columns product against the former
    // paths (dot products over transposed columns up to 16 positions, the blocked GEMM above), whole layers.
    private static void FewColumns(int iterations)
    {
        Console.WriteLine("1x1 convolution, batch 1, GFLOP/s: few-columns product | former path");
        int saved = Conv2d.MaxFewColumns;
        foreach (var (inChannels, outChannels, size) in new[] { (96, 576, 4), (576, 96, 4), (960, 160, 2), (320, 1280, 2), (32, 192, 8), (192, 32, 8), (64, 384, 4), (144, 24, 8), (512, 512, 4), (1152, 128, 8), (2304, 256, 4), (4608, 512, 7), (960, 160, 7) })
        {
            var conv = new Conv2d(inChannels, outChannels, 1);
            conv.ResetParameters(new Random(1));
            var input = new FloatTensor(1, inChannels, size, size);
            input.Fill(0.5f);
            double flops = 2.0 * conv.CountMultiplyAdds([[inChannels, size, size]]);
            double few = double.MaxValue, fewCold = double.MaxValue, former = double.MaxValue, formerCold = double.MaxValue;
            for (int round = 0; round < 3; round++)
            {
                // Rounds alternate between the two paths, so that a busy moment on a shared machine falls on both.
                Conv2d.MaxFewColumns = 64;
                few = Math.Min(few, Time(() => conv.Forward(input, training: false), iterations));
                fewCold = Math.Min(fewCold, Cold(() => conv.Forward(input, training: false), iterations / 4));
                Conv2d.MaxFewColumns = 0;
                former = Math.Min(former, Time(() => conv.Forward(input, training: false), iterations));
                formerCold = Math.Min(formerCold, Cold(() => conv.Forward(input, training: false), iterations / 4));
            }

            Console.WriteLine($"  {inChannels,4} -> {outChannels,4} on {size}x{size}: {flops / few / 1e3,6:F1} ({few,6:F1} µs, cold {fewCold,6:F1}) | {flops / former / 1e3,6:F1} ({former,6:F1} µs, cold {formerCold,6:F1})");
        }

        Conv2d.MaxFewColumns = saved;
    }

    // Batch-1 layers that take the dot-product path (1x1 convolutions on 2x2 planes, a dense layer), their weights read
    // from DRAM (cold) or cache (warm), with the weight rows prefetched two groups ahead and without.
    private static void PrefetchedDots(int iterations)
    {
        Console.WriteLine("batch 1, dot-product path, µs: prefetch 2 groups ahead | none (warm / cold; the dense rows, one row of A, never prefetch: a control)");
        int saved = Gemm.PrefetchGroups;
        var layers = new List<(string Name, Layer Layer, FloatTensor Input)>();
        foreach (var (inChannels, outChannels) in new[] { (320, 1280), (160, 960), (960, 160), (512, 512) })
        {
            var conv = new Conv2d(inChannels, outChannels, 1);
            conv.ResetParameters(new Random(1));
            var input = new FloatTensor(1, inChannels, 2, 2);
            input.Fill(0.5f);
            layers.Add(($"1x1 {inChannels} -> {outChannels} on 2x2", conv, input));
        }

        foreach (var (inputs, outputs) in new[] { (1280, 1000), (512, 1000) })
        {
            var dense = new Dense(inputs, outputs);
            dense.ResetParameters(new Random(1));
            var input = new FloatTensor(1, inputs);
            input.Fill(0.5f);
            layers.Add(($"dense {inputs} -> {outputs}", dense, input));
        }

        foreach (var (name, layer, input) in layers)
        {
            FloatTensor[] args = [input];
            double[] warm = [double.MaxValue, double.MaxValue], cold = [double.MaxValue, double.MaxValue];
            for (int round = 0; round < 3; round++)
            {
                for (int variant = 0; variant < 2; variant++)
                {
                    Gemm.PrefetchGroups = variant == 0 ? 2 : 0;
                    warm[variant] = Math.Min(warm[variant], Time(() => layer.Forward(args, training: false), iterations));
                    cold[variant] = Math.Min(cold[variant], Cold(() => layer.Forward(args, training: false), iterations / 4));
                }
            }

            Console.WriteLine($"  {name,-26} {warm[0],7:F1} / {cold[0],7:F1} | {warm[1],7:F1} / {cold[1],7:F1}");
        }

        Gemm.PrefetchGroups = saved;
    }

    // The fastest of `iterations` calls that each start with the weights and input out of the caches (a 64 MB sweep first).
    private static double Cold(Action action, int iterations)
    {
        var sweep = new float[16 << 20];
        double best = double.MaxValue;
        for (int i = 0; i < iterations; i++)
        {
            for (int j = 0; j < sweep.Length; j += 16)
            {
                sweep[j] += 1;
            }

            double start = Machine.ThreadCpuSeconds();
            action();
            best = Math.Min(best, Machine.ThreadCpuSeconds() - start);
        }

        return best * 1e6;
    }

    private static void Depthwise(int iterations, int batch)
    {
        Console.WriteLine($"depthwise 3x3 convolution, batch {batch}: forward | forward+backward µs, by plane and layout");
        foreach (var (channels, size, stride) in new[] { (96, 32, 2), (144, 16, 1), (192, 8, 1), (384, 4, 1), (960, 2, 1), (32, 32, 1) })
        {
            var conv = new Conv2d(channels, channels, 3, stride, 1, groups: channels);
            conv.ResetParameters(new Random(1));
            var input = new FloatTensor(batch, channels, size, size);
            input.Fill(0.5f);
            var output = conv.Forward(input, training: true);
            var gradient = new FloatTensor(output.Shape);
            gradient.Fill(0.1f);
            var transposeTarget = new float[input.Length / batch];
            double transpose = Time(() => Transposition.Transpose(input.Span[..transposeTarget.Length], channels, size * size, size * size, transposeTarget, channels), iterations);
            string line = $"  {channels,4} x {size,2}x{size,-2} stride {stride}:";
            int saved = DepthwiseChannelsLast.MaxPlane;
            foreach (var (layout, maxPlane) in new[] { ("channel-last", int.MaxValue), ("row phases", 0) })
            {
                DepthwiseChannelsLast.MaxPlane = maxPlane;
                double forward = Time(() => conv.Forward(input, training: false), iterations);
                double both = Time(() => { conv.Forward(input, training: true); conv.Backward(gradient); }, iterations / 4);
                line += $"  {layout} {forward,8:F1} | {both,8:F1}";
            }

            DepthwiseChannelsLast.MaxPlane = saved;
            Console.WriteLine($"{line}   (one sample's input transpose {transpose:F1} µs)");
        }
    }
}
