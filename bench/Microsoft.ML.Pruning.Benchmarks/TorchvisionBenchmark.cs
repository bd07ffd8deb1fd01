using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tensors;
using FloatTensor = Microsoft.ML.Pruning.Tensors.FloatTensor;

namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>
/// Inference of torchvision's resnet18 and mobilenet_v2 at 3x64x64, batch 1 and 32, full and structurally pruned (L1
/// filter norm) to the rate nearest half the multiply-adds, in this engine and in ONNX Runtime on the same exported
/// files, one thread each, in one run. Reports the latency ratio (ours / ORT) and each pruned model's speed-up against
/// its MAC reduction in both runtimes (targets: ratio at most 1.5; speed-up at least 0.8 of the MAC reduction).
/// </summary>
/// <remarks>
/// The models come from build/setup.d/torchvision.sh (build/data/torchvision). Each cell times the two runtimes in
/// turn, round after round, and takes each one's median. Usage: <c>--torchvision [--seconds S] [--round-to N]</c>
/// (time per cell and runtime, default 1; pruned widths rounded up to multiples of N, default 1).
/// </remarks>
internal static class TorchvisionBenchmark
{
    private static readonly string[] Families = ["resnet18", "mobilenet_v2"];

    public static int Run(string[] args)
    {
        int at = Array.IndexOf(args, "--seconds");
        double seconds = at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : 1.0;
        int round = Array.IndexOf(args, "--round-to");
        int roundTo = round >= 0 && round + 1 < args.Length ? int.Parse(args[round + 1], System.Globalization.CultureInfo.InvariantCulture) : 1;
        string folder = Path.Combine("build", "data", "torchvision");
        if (!File.Exists(Path.Combine(folder, "manifest.json")))
        {
            Console.Error.WriteLine($"{folder} is missing; run bash build/setup.d/torchvision.sh.");
            return 1;
        }

        ComputeSettings.DegreeOfParallelism = 1;
        Console.WriteLine($"{Machine()}; {seconds:0.#} s per cell and runtime; pruned widths rounded up to multiples of {roundTo}");
        Console.WriteLine($"{"model",-22}{"batch",6}{"MACs/sample",14}{"ours ms",10}{"ORT ms",10}{"ours/ORT",10}");
        var work = Directory.CreateTempSubdirectory("torchvision-bench");
        try
        {
            var summary = new List<string>();
            foreach (string family in Families)
            {
                var full = OnnxModel.Load(Path.Combine(folder, $"{family}_opset13.onnx"));
                var (pruned, rate) = PruneToHalfTheMacs(full, Path.Combine(folder, $"{family}_opset13.onnx"), roundTo);
                var variants = new[] { ($"{family}", full), ($"{family} pruned {rate:0.000}", pruned) };
                var times = new Dictionary<(int Variant, int Batch), (double Ours, double Ort)>();
                for (int v = 0; v < variants.Length; v++)
                {
                    string file = Path.Combine(work.FullName, $"{family}-{v}.onnx");
                    OnnxModel.Save(variants[v].Item2, file);
                    var network = OnnxModel.Load(file);
                    using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
                    using var session = new InferenceSession(file, options);
                    foreach (int batch in new[] { 1, 32 })
                    {
                        var cell = Time(network, session, batch, seconds);
                        times[(v, batch)] = cell;
                        Console.WriteLine($"{variants[v].Item1,-22}{batch,6}{network.MultiplyAdds,14:N0}{cell.Ours,10:0.00}{cell.Ort,10:0.00}{cell.Ours / cell.Ort,10:0.00}");
                    }
                }

                double macReduction = (double)full.MultiplyAdds / pruned.MultiplyAdds;
                foreach (int batch in new[] { 1, 32 })
                {
                    double ours = times[(0, batch)].Ours / times[(1, batch)].Ours, ort = times[(0, batch)].Ort / times[(1, batch)].Ort;
                    summary.Add($"{family,-14} batch {batch,2}: MAC reduction {macReduction:0.00}x; speed-up ours {ours:0.00}x ({ours / macReduction:0.00} of it), ORT {ort:0.00}x ({ort / macReduction:0.00} of it)");
                }
            }

            Console.WriteLine();
            summary.ForEach(Console.WriteLine);
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    // Bisects the per-layer L1 rate whose pruned network has the multiply-adds nearest half the full network's.
    private static (Network Pruned, double Rate) PruneToHalfTheMacs(Network full, string path, int roundTo)
    {
        double low = 0, high = 0.9, target = full.MultiplyAdds / 2.0;
        (Network Network, double Rate)? best = null;
        for (int step = 0; step < 7; step++)
        {
            double rate = (low + high) / 2;
            var network = OnnxModel.Load(path);
            new StructuredPruning(new WeightNormImportance(WeightNorm.L1), new StructuredPruningOptions { RoundTo = roundTo }).Apply(network, rate, null);
            if (best is null || Math.Abs(network.MultiplyAdds - target) < Math.Abs(best.Value.Network.MultiplyAdds - target))
            {
                best = (network, rate);
            }

            (low, high) = network.MultiplyAdds > target ? (rate, high) : (low, rate);
        }

        return best!.Value;
    }

    /// <summary>Describes the CPU, its AVX-512 support, the GEMM kernel and the threads.</summary>
    /// <returns>One line.</returns>
    public static string Machine() =>
        $"CPU: {CpuName()}; AVX-512F: {(File.ReadAllText("/proc/cpuinfo").Contains(" avx512f") ? "yes" : "no")}; GEMM kernel {Gemm.ActiveKernel}; one thread per runtime";

    /// <summary>Alternates one call of each runtime until both have spent about the given time.</summary>
    /// <returns>Each runtime's median in milliseconds.</returns>
    public static (double Ours, double Ort) Time(Network network, InferenceSession session, int batch, double seconds)
    {
        var input = new FloatTensor([batch, .. network.InputShape]);
        var random = new Random(batch);
        for (int i = 0; i < input.Length; i++)
        {
            input.Span[i] = random.NextSingle() - 0.5f;
        }

        var ortInput = new DenseTensor<float>(input.Span.ToArray(), input.Shape);
        string name = session.InputMetadata.Keys.First();
        double RunOurs() => Measure(() => network.Forward(input));
        double RunOrt() => Measure(() =>
        {
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(name, ortInput)]);
        });

        RunOurs();
        RunOrt();
        var ours = new List<double>();
        var ort = new List<double>();
        var watch = Stopwatch.StartNew();
        while (ours.Count < 3 || watch.Elapsed.TotalSeconds < 2 * seconds)
        {
            ours.Add(RunOurs());
            ort.Add(RunOrt());
        }

        return (Median(ours), Median(ort));
    }

    private static double Measure(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static string CpuName() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
}
