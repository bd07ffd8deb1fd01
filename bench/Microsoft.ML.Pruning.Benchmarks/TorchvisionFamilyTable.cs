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
/// The issue-12 table for the nine torchvision families at batch 1: prunable and skipped groups (with the reasons),
/// parameters and multiply-adds before and after L1 pruning at 50 % of every group, and the latency of both versions
/// in this engine and in ONNX Runtime on the same exported files (one thread each, interleaved medians).
/// Usage: <c>--torchvision-families [--seconds S]</c>.
/// </summary>
internal static class TorchvisionFamilyTable
{
    private static readonly string[] Families =
        ["resnet18", "regnet_x_400mf", "mobilenet_v2", "squeezenet1_1", "densenet121", "googlenet", "efficientnet_b0", "mnasnet0_5", "shufflenet_v2_x0_5"];

    public static int Run(string[] args)
    {
        int at = Array.IndexOf(args, "--seconds");
        double seconds = at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : 0.5;
        string folder = Path.Combine("build", "data", "torchvision");
        ComputeSettings.DegreeOfParallelism = 1;
        Console.WriteLine($"{Machine.Describe()}; one thread per runtime; batch 1; {seconds:0.#} s per cell and runtime");
        Console.WriteLine($"{"family",-20}{"groups",7}{"skipped",8}{"params before",15}{"after",12}{"MACs before",14}{"after",13}{"ours ms",9}{"->",7}{"ORT ms",9}{"->",7}");
        var reasons = new List<string>();
        var work = Directory.CreateTempSubdirectory("torchvision-table");
        try
        {
            foreach (string family in Families)
            {
                string path = Path.Combine(folder, $"{family}_opset13.onnx");
                var full = OnnxModel.Load(path);
                var pruned = OnnxModel.Load(path);
                int groups = PruningGroups.Find(full).Count;
                var skipped = PruningGroups.FindSkipped(full);
                new StructuredPruning(new WeightNormImportance(WeightNorm.L1)).Apply(pruned, 0.5, null);
                var latencies = new List<(double Ours, double Ort)>();
                foreach (var (network, index) in new[] { (full, 0), (pruned, 1) })
                {
                    string file = Path.Combine(work.FullName, $"{family}-{index}.onnx");
                    OnnxModel.Save(network, file);
                    using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
                    using var session = new InferenceSession(file, options);
                    latencies.Add(Time(OnnxModel.Load(file), session, seconds));
                }

                Console.WriteLine($"{family,-20}{groups,7}{skipped.Count,8}{full.ParameterCount,15:N0}{pruned.ParameterCount,12:N0}{full.MultiplyAdds,14:N0}{pruned.MultiplyAdds,13:N0}" +
                    $"{latencies[0].Ours,9:0.00}{latencies[1].Ours,7:0.00}{latencies[0].Ort,9:0.00}{latencies[1].Ort,7:0.00}");
                reasons.AddRange(skipped.GroupBy(s => Generalize(s.Reason)).Select(g => $"{family}: {g.Count()} skipped: {g.Key}"));
            }

            Console.WriteLine();
            reasons.ForEach(Console.WriteLine);
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    // Drops the layer names from a reason so that the same reason counts once per family.
    private static string Generalize(string reason) =>
        System.Text.RegularExpressions.Regex.Replace(reason, "'[^']*'", "'…'");

    /// <summary>Alternates one call of each runtime until both have spent about the given time.</summary>
    /// <returns>Each runtime's median in milliseconds.</returns>
    private static (double Ours, double Ort) Time(Network network, InferenceSession session, double seconds)
    {
        var input = new FloatTensor([1, .. network.InputShape]);
        var random = new Random(1);
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
}
