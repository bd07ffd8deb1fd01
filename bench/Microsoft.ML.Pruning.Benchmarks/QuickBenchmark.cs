using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>
/// A Stopwatch harness without BenchmarkDotNet: warm up, then the median of several timed samples, printed as GFLOP/s
/// for square products and for the GEMMs of an MLP training step.
/// </summary>
/// <remarks>
/// Options: <c>--sizes 256,512,1024,2048</c>, <c>--threads 1,2</c>, <c>--runs 7</c>, <c>--kernel Avx2</c>,
/// <c>--peer peer.json</c> (the JSON that bench/gemm_onednn.py writes, to print the ratio to oneDNN),
/// <c>--squares-only</c>, <c>--mlp-only</c>, <c>--best</c> (report the fastest sample instead of the median, which is
/// steadier on a machine that other work shares), <c>--json out.json</c> (write the square-product rates).
/// </remarks>
internal static class QuickBenchmark
{
    private const int Batch = 128;
    private const double SampleSeconds = 0.06;

    private static bool _best;
    private static readonly List<Dictionary<string, object>> SquareRows = [];

    private static readonly (string Name, int[] Widths)[] Networks =
    [
        ("MLP 784-300-100-10", [784, 300, 100, 10]),
        ("MLP 784-550-375-375-375-375-10", [784, 550, 375, 375, 375, 375, 10]),
    ];

    /// <summary>Runs the harness and prints the tables.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args)
    {
        int[] sizes = ParseList(Option(args, "--sizes") ?? "256,512,1024,2048");
        int[] threads = ParseList(Option(args, "--threads") ?? "1,2");
        int runs = int.Parse(Option(args, "--runs") ?? "7", CultureInfo.InvariantCulture);
        if (Option(args, "--kernel") is { } kernel)
        {
            Gemm.KernelOverride = Enum.Parse<GemmKernel>(kernel, ignoreCase: true);
        }

        _best = args.Contains("--best");
        var peer = Option(args, "--peer") is { } peerPath ? ReadPeer(peerPath) : [];
        Console.WriteLine($"Gemm kernel {Gemm.ActiveKernel}; {Environment.ProcessorCount} processors; AVX2 {Avx2.IsSupported}, FMA {Fma.IsSupported}, AVX-512F {Avx512F.IsSupported}, Vector512 accelerated {Vector512.IsHardwareAccelerated}");
        Console.WriteLine($"{(_best ? "Fastest" : "Median")} of {runs} samples of at least {SampleSeconds * 1000:F0} ms each, after warm-up.");
        int saved = ComputeSettings.DegreeOfParallelism;
        try
        {
            if (!args.Contains("--mlp-only"))
            {
                Squares(sizes, threads, runs, peer);
            }

            if (!args.Contains("--squares-only"))
            {
                foreach (var (name, widths) in Networks)
                {
                    Mlp(name, widths, threads, runs);
                }
            }
        }
        finally
        {
            ComputeSettings.DegreeOfParallelism = saved;
        }

        if (Option(args, "--json") is { } path)
        {
            var document = new Dictionary<string, object> { ["side"] = "ours", ["kernel"] = Gemm.ActiveKernel.ToString(), ["results"] = SquareRows };
            File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
        }

        return 0;
    }

    private static void Squares(int[] sizes, int[] threads, int runs, Dictionary<(int N, int Threads), double> peer)
    {
        Console.WriteLine();
        Console.WriteLine("Square products, GFLOP/s: C = A·B (NN) and C = A·Bᵀ (NT, the product oneDNN's mkldnn_linear computes)");
        string header = $"{"n",6}" + string.Concat(threads.Select(t => $"{"NN " + t + "t",9}")) + string.Concat(threads.Select(t => $"{"NT " + t + "t",9}"));
        if (threads.Length > 1)
        {
            header += $"{"NT scale",10}";
        }

        bool withPeer = peer.Count > 0;
        if (withPeer)
        {
            header += string.Concat(threads.Select(t => $"{"oneDNN " + t + "t",11}{"NT/oneDNN",11}"));
        }

        Console.WriteLine(header);
        foreach (int n in sizes)
        {
            float[] a = RandomValues(n * n, 1), b = RandomValues(n * n, 2), c = new float[n * n];
            double flops = 2.0 * n * n * n;
            var plain = threads.Select(t => Measure(t, flops, runs, () => Gemm.Multiply(false, false, n, n, n, a, n, b, n, c, n))).ToArray();
            var rates = threads.Select(t => Measure(t, flops, runs, () => Gemm.Multiply(false, true, n, n, n, a, n, b, n, c, n))).ToArray();
            for (int i = 0; i < threads.Length; i++)
            {
                SquareRows.Add(new Dictionary<string, object> { ["n"] = n, ["threads"] = threads[i], ["nn_gflops"] = plain[i], ["nt_gflops"] = rates[i] });
            }

            string line = $"{n,6}" + string.Concat(plain.Select(r => $"{r,9:F1}")) + string.Concat(rates.Select(r => $"{r,9:F1}"));
            if (threads.Length > 1)
            {
                line += $"{rates[^1] / rates[0],9:F2}x";
            }

            if (withPeer)
            {
                for (int i = 0; i < threads.Length; i++)
                {
                    line += peer.TryGetValue((n, threads[i]), out double other)
                        ? $"{other,11:F1}{rates[i] / other,11:P0}"
                        : $"{"-",11}{"-",11}";
                }
            }

            Console.WriteLine(line);
        }
    }

    private static void Mlp(string name, int[] widths, int[] threads, int runs)
    {
        Console.WriteLine();
        Console.WriteLine($"{name}, batch {Batch}: forward Y = X·Wᵀ (NT), backward dX = dY·W (NN), dW = dYᵀ·X (TN); GFLOP/s");
        string header = $"{"layer",10}";
        foreach (string product in new[] { "fwd NT", "bwd NN", "bwd TN" })
        {
            header += string.Concat(threads.Select(t => $"{product + " " + t + "t",11}"));
        }

        Console.WriteLine(header);
        var totalFlops = 0.0;
        var totalSeconds = new double[threads.Length];
        for (int layer = 0; layer + 1 < widths.Length; layer++)
        {
            int inputs = widths[layer], outputs = widths[layer + 1];
            float[] x = RandomValues(Batch * inputs, layer), w = RandomValues(outputs * inputs, layer + 10);
            float[] y = new float[Batch * outputs], dy = RandomValues(Batch * outputs, layer + 20);
            float[] dx = new float[Batch * inputs], dw = new float[outputs * inputs];
            double flops = 2.0 * Batch * inputs * outputs;
            var products = new Action[]
            {
                () => Gemm.Multiply(false, true, Batch, outputs, inputs, x, inputs, w, inputs, y, outputs),
                () => Gemm.Multiply(false, false, Batch, inputs, outputs, dy, outputs, w, inputs, dx, inputs),
                () => Gemm.Multiply(true, false, outputs, inputs, Batch, dy, outputs, x, inputs, dw, inputs),
            };
            string line = $"{inputs + "-" + outputs,10}";
            foreach (var product in products)
            {
                for (int i = 0; i < threads.Length; i++)
                {
                    double rate = Measure(threads[i], flops, runs, product);
                    totalSeconds[i] += flops / (rate * 1e9);
                    line += $"{rate,11:F1}";
                }

                totalFlops += flops;
            }

            Console.WriteLine(line);
        }

        for (int i = 0; i < threads.Length; i++)
        {
            double step = totalSeconds[i];
            Console.WriteLine($"{"step " + threads[i] + "t",10}  {totalFlops / step / 1e9,6:F1} GFLOP/s over all products, {step * 1e6,8:F0} µs per batch, {Batch / step,9:F0} images/s (GEMMs only)");
        }
    }

    /// <summary>Returns the median GFLOP/s of <paramref name="product"/> at the given degree of parallelism.</summary>
    private static double Measure(int threads, double flops, int runs, Action product)
    {
        ComputeSettings.DegreeOfParallelism = threads;

        // Warm up (tiering, packing buffers, worker threads) and find how many calls make one sample.
        var watch = Stopwatch.StartNew();
        int calls = 0;
        while (calls < 3 || watch.Elapsed.TotalSeconds < 0.15)
        {
            product();
            calls++;
        }

        int repeat = Math.Max(1, (int)Math.Ceiling(SampleSeconds * calls / watch.Elapsed.TotalSeconds));
        var samples = new double[runs];
        for (int s = 0; s < runs; s++)
        {
            watch.Restart();
            for (int r = 0; r < repeat; r++)
            {
                product();
            }

            samples[s] = flops * repeat / watch.Elapsed.TotalSeconds / 1e9;
        }

        Array.Sort(samples);
        return _best ? samples[^1] : samples[runs / 2];
    }

    private static Dictionary<(int N, int Threads), double> ReadPeer(string path)
    {
        var result = new Dictionary<(int N, int Threads), double>();
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var row in document.RootElement.GetProperty("results").EnumerateArray())
        {
            result[(row.GetProperty("n").GetInt32(), row.GetProperty("threads").GetInt32())] = row.GetProperty("gflops").GetDouble();
        }

        return result;
    }

    private static float[] RandomValues(int count, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)random.NextDouble() - 0.5f;
        }

        return values;
    }

    private static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int[] ParseList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
}
