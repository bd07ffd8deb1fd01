using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Benchmarks.Cnn;

/// <summary>
/// Where an inference pass spends its time inside the network, beside ONNX Runtime's own per-node profile of the exported
/// model: <c>--node-profile --model mobilenet_v2 --size 64 --batch 1 [--threads 1] [--iterations 50] [--pruned] [--nodes]</c>.
/// Ours: <see cref="Network.Forward"/> as callers run it (fusion included), each node's time taken
/// inside the pass, fastest of the iterations. ORT: <c>SessionOptions.EnableProfiling</c>, each node's kernel time,
/// fastest of the iterations. Totals by kind of operation, then (with <c>--nodes</c>) node by node.
/// </summary>
internal static class NodeProfile
{
    private static double WarmSeconds = 2;

    public static int Run(string[] args)
    {
        string model = ModelBenchmark.Option(args, "--model") ?? "mobilenet_v2";
        int size = int.Parse(ModelBenchmark.Option(args, "--size") ?? "64", CultureInfo.InvariantCulture);
        int batch = int.Parse(ModelBenchmark.Option(args, "--batch") ?? "1", CultureInfo.InvariantCulture);
        int iterations = int.Parse(ModelBenchmark.Option(args, "--iterations") ?? "50", CultureInfo.InvariantCulture);
        int threads = int.Parse(ModelBenchmark.Option(args, "--threads") ?? "1", CultureInfo.InvariantCulture);
        ComputeSettings.DegreeOfParallelism = threads;
        WarmSeconds = double.Parse(ModelBenchmark.Option(args, "--warm-seconds") ?? "2", CultureInfo.InvariantCulture);
        if (ModelBenchmark.Option(args, "--few-columns") is { } fewColumns)
        {
            Conv2d.MaxFewColumns = int.Parse(fewColumns, CultureInfo.InvariantCulture);
        }

        if (ModelBenchmark.Option(args, "--prefetch-groups") is { } prefetch)
        {
            Gemm.PrefetchGroups = int.Parse(prefetch, CultureInfo.InvariantCulture);
        }

        if (ModelBenchmark.Option(args, "--depthwise-max-plane") is { } maxPlane)
        {
            DepthwiseChannelsLast.MaxPlane = int.Parse(maxPlane, CultureInfo.InvariantCulture);
        }
        var network = args.Contains("--pruned") ? CnnBenchmark.Pruned(model, size) : CnnModels.Load(model, size);

        var data = new CnnData(network.InputShape, batch, 1000);
        Console.WriteLine(Machine.Describe());
        Console.WriteLine($"{model} {FloatTensor.FormatShape(network.InputShape)}, batch {batch}, {threads} thread(s), fastest of {iterations} passes per node");

        // Ours, inside Network.Forward.
        var ticks = new long[network.Nodes.Count];
        var best = new double[network.Nodes.Count];
        Array.Fill(best, double.MaxValue);
        double bestPass = double.MaxValue, cpuTotal = 0;

        // Past .NET's tier 0 (30 calls of each method, then a background compile that waits for the JIT to go quiet):
        // at least 60 passes and 2 s, with pauses for the compiles.
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < 60 || warm.Elapsed.TotalSeconds < WarmSeconds; i++)
        {
            network.Forward(data.Input);
            if (i % 30 == 29 && i < 120)
            {
                Thread.Sleep(250);
            }
        }

        for (int it = -1; it < iterations; it++)
        {
            Array.Clear(ticks);
            network.NodeTicks = ticks;
            double cpu = Machine.ThreadCpuSeconds();
            long start = Stopwatch.GetTimestamp();
            network.Forward(data.Input);
            double pass = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (it >= 0)
            {
                cpuTotal += Machine.ThreadCpuSeconds() - cpu;
                bestPass = Math.Min(bestPass, pass);
                for (int i = 0; i < ticks.Length; i++)
                {
                    best[i] = Math.Min(best[i], ticks[i] * 1e6 / Stopwatch.Frequency);
                }
            }
        }

        network.NodeTicks = null;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        network.Forward(data.Input);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var ours = network.Nodes.Select(n => (Name: n.Layer.Name, Kind: Kind(n.Layer), Micro: best[n.Index])).ToList();

        // ONNX Runtime's profile of the export.
        string path = Path.Combine(Path.GetTempPath(), $"node-profile-{Environment.ProcessId}.onnx");
        OnnxModel.Save(network, path);
        var options = threads == 1 ? new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 } : new SessionOptions();
        options.EnableProfiling = true;
        options.ProfileOutputPathPrefix = Path.Combine(Path.GetTempPath(), $"ort-profile-{Environment.ProcessId}");
        var ort = new List<(string Name, string Kind, double Micro)>();
        double ortPass = double.MaxValue;
        using (var session = new InferenceSession(path, options))
        {
            var input = new DenseTensor<float>(data.Input.Span.ToArray(), data.Input.Shape);
            var inputs = new[] { NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), input) };
            for (int it = -30; it < iterations; it++)
            {
                long start = Stopwatch.GetTimestamp();
                using var results = session.Run(inputs);
                if (it >= 0)
                {
                    ortPass = Math.Min(ortPass, Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }
            }

            string profile = session.EndProfiling();
            var byNode = new Dictionary<string, (string Kind, List<double> Times)>();
            var order = new List<string>();
            foreach (var item in JsonNode.Parse(File.ReadAllText(profile))!.AsArray())
            {
                if (item?["cat"]?.GetValue<string>() != "Node" || item["name"]?.GetValue<string>() is not { } name || !name.EndsWith("_kernel_time", StringComparison.Ordinal))
                {
                    continue;
                }

                string node = name[..^"_kernel_time".Length];
                if (!byNode.TryGetValue(node, out var entry))
                {
                    byNode[node] = entry = (item["args"]?["op_name"]?.GetValue<string>() ?? "?", []);
                    order.Add(node);
                }

                entry.Times.Add(item["dur"]!.GetValue<double>());
            }

            // The first 30 runs are warm-up.
            ort.AddRange(order.Select(n => (n, byNode[n].Kind, byNode[n].Times.Skip(30).DefaultIfEmpty(double.NaN).Min())));
            File.Delete(profile);
        }

        File.Delete(path);
        Console.WriteLine($"whole pass, fastest µs: ours {bestPass:F1} (thread-CPU mean {cpuTotal / iterations * 1e6:F1}, {allocated:N0} bytes allocated per pass), ORT {ortPass:F1}; sum of nodes: ours {ours.Sum(o => o.Micro):F1}, ORT {ort.Sum(o => o.Micro):F1}");
        Totals("ours", ours);
        Totals("ONNX Runtime", ort);
        if (args.Contains("--nodes"))
        {
            Console.WriteLine();
            foreach (var (name, kind, micro) in ours)
            {
                Console.WriteLine($"ours {kind,-16} {micro,9:F1}  {name}");
            }

            foreach (var (name, kind, micro) in ort)
            {
                Console.WriteLine($"ORT  {kind,-16} {micro,9:F1}  {name}");
            }
        }

        return 0;
    }

    private static void Totals(string title, List<(string Name, string Kind, double Micro)> rows)
    {
        Console.WriteLine($"{title}: {"kind",-16} {"count",5} {"µs",9} {"share",6}");
        double total = rows.Sum(r => r.Micro);
        foreach (var group in rows.GroupBy(r => r.Kind).OrderByDescending(g => g.Sum(r => r.Micro)))
        {
            double micro = group.Sum(r => r.Micro);
            Console.WriteLine($"{"",-14}{group.Key,-16} {group.Count(),5} {micro,9:F1} {100 * micro / total,5:F1}%");
        }
    }

    private static string Kind(Layer layer) => layer switch
    {
        Conv2d { IsDepthwise: true } => "conv depthwise",
        Conv2d { Kernel: (1, 1) } => "conv 1x1",
        Conv2d c => $"conv {c.Kernel.Height}x{c.Kernel.Width}",
        _ => layer.GetType().Name,
    };
}
