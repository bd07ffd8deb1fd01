using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;

namespace Microsoft.ML.Pruning.Benchmarks.Cnn;

/// <content>The training and inference tables.</content>
internal static partial class CnnBenchmark
{
    private static void Training(Settings options, int threads, PythonPeer? python, List<object> results)
    {
        Console.WriteLine();
        Console.WriteLine($"== Training (forward + cross-entropy + backward + SGD step), {threads} thread(s)");
        Console.WriteLine($"   {Machine.Describe()}");
        Console.WriteLine($"   images/s: median of {options.Rounds} rounds (best in brackets), wall clock | per {(threads == 1 ? "thread" : "process")}-CPU second");
        Console.WriteLine($"{"model",-22}{"ours",24}{"TorchSharp",24}{"backend",24}{"PyTorch 1.13",24}  ours/TS  ours/PT  backend/TS");
        foreach (var (model, size, batch) in TrainingCells(options))
        {
            var data = new CnnData(Load(model, size).InputShape, batch, CnnModels.IsTorchvision(model) ? 1000 : 10);
            var runtimes = new List<Runtime> { new ManagedRuntime(Load(model, size), data, training: true) };
            if (options.TorchSharp)
            {
                runtimes.Add(new TorchSharpRuntime(Load(model, size), data, training: true));
            }

            if (options.Backend)
            {
                runtimes.Add(new BackendRuntime(Load(model, size), data));
            }

            if (python is not null)
            {
                runtimes.Add(new PythonRuntime(python, "train", model, size, batch, threads));
            }

            runtimes.ForEach(r => r.Threads = threads);
            var samples = Alternate(runtimes, options.Rounds, options.RoundSeconds);
            string label = CnnModels.IsTorchvision(model) ? $"{model} {size}" : $"{model} b{batch}";
            double ours = Rate(samples, "ours"), ts = Rate(samples, "TorchSharp"), backend = Rate(samples, "backend"), pt = Rate(samples, "PyTorch 1.13");
            Console.WriteLine($"{label,-22}{Cell(samples, "ours"),24}{Cell(samples, "TorchSharp"),24}{Cell(samples, "backend"),24}{Cell(samples, "PyTorch 1.13"),24}" +
                $"  {Ratio(ours, ts, 1.2),7}  {Ratio(ours, pt, 1.0),7}  {Ratio(backend, ts, 0.9),9}");
            results.Add(new { task = "train", model, size, batch, threads, samples });
        }

        Console.WriteLine("   targets: ours/TS >= 1.2 on the CNNs, ours/PT >= 1.0, backend/TS >= 0.9 (* = missed); load average now " + Machine.LoadAverage);
    }

    private static IEnumerable<(string Model, int Size, int Batch)> TrainingCells(Settings options)
    {
        foreach (string model in options.Models)
        {
            if (CnnModels.IsTorchvision(model))
            {
                foreach (int size in options.Sizes)
                {
                    yield return (model, size, 32);
                }
            }
            else
            {
                yield return (model, 28, 128);
            }
        }
    }

    private static void Inference(Settings options, int threads, PythonPeer? python, string work, List<object> results)
    {
        Console.WriteLine();
        Console.WriteLine($"== Inference, {threads} thread(s); ONNX Runtime with {(threads == 1 ? "1 intra-op thread" : "default options")}");
        Console.WriteLine($"   {Machine.Describe()}");
        Console.WriteLine($"   ms per batch: median of {options.Rounds} rounds (best in brackets); pruned = 50 % L1 of every group, widths rounded to 8");
        Console.WriteLine($"{"model",-24}{"batch",6}{"ours",20}{"ORT",20}{"ORT/ours",10}{"TorchSharp",20}{"PyTorch 1.13",20}  pruned: MACs ratio, speed-up ours (of MAC), ORT");
        foreach (string model in options.Models.Where(CnnModels.IsTorchvision))
        {
            foreach (int size in options.Sizes)
            {
                var full = Load(model, size);
                var pruned = Pruned(model, size);
                string fullPath = Path.Combine(work, $"{model}-{size}.onnx"), prunedPath = Path.Combine(work, $"{model}-{size}-pruned.onnx");
                OnnxModel.Save(full, fullPath);
                OnnxModel.Save(pruned, prunedPath);
                double macReduction = (double)full.MultiplyAdds / pruned.MultiplyAdds;
                foreach (int batch in new[] { 1, 32 })
                {
                    var data = new CnnData(full.InputShape, batch, 1000);
                    var runtimes = new List<Runtime>
                    {
                        new ManagedRuntime(full, data, training: false),
                        new ManagedRuntime(pruned, data, training: false, "ours pruned"),
                        new OrtRuntime(fullPath, data, threads == 1),
                        new OrtRuntime(prunedPath, data, threads == 1),
                    };
                    ((OrtRuntime)runtimes[3]).Rename("ORT pruned");
                    if (options.TorchSharp)
                    {
                        runtimes.Add(new TorchSharpRuntime(full, data, training: false));
                    }

                    if (python is not null)
                    {
                        runtimes.Add(new PythonRuntime(python, "infer", model, size, batch, threads));
                    }

                    runtimes.ForEach(r => r.Threads = threads);
                    var samples = Alternate(runtimes, options.Rounds, options.RoundSeconds);
                    string ort = runtimes[2].Name;
                    double ours = Milliseconds(samples, "ours", batch), ortTime = Milliseconds(samples, ort, batch);
                    double oursSpeedUp = ours / Milliseconds(samples, "ours pruned", batch), ortSpeedUp = ortTime / Milliseconds(samples, "ORT pruned", batch);
                    Console.WriteLine($"{$"{model} {size}",-24}{batch,6}{Time(samples, "ours", batch),20}{Time(samples, ort, batch),20}{Ratio(ortTime, ours, 1.0),10}" +
                        $"{Time(samples, "TorchSharp", batch),20}{Time(samples, "PyTorch 1.13", batch),20}" +
                        $"  {macReduction,5:F2}x, {oursSpeedUp:F2}x ({oursSpeedUp / macReduction:F2}{(oursSpeedUp / macReduction < 0.9 ? "*" : "")}), {ortSpeedUp:F2}x" +
                        $"   pruned ours {Time(samples, "ours pruned", batch).Trim()}, ORT {Time(samples, "ORT pruned", batch).Trim()}");
                    results.Add(new { task = "infer", model, size, batch, threads, macReduction, samples });
                }
            }
        }

        Console.WriteLine("   targets: our time <= ORT's, i.e. ORT/ours (ORT's time over ours) >= 1.0; pruned speed-up >= 0.9 of the MAC reduction (* = missed); load average now " + Machine.LoadAverage);
    }

    // Images per wall-clock second, median over the rounds; NaN when the runtime did not run.
    private static double Rate(Dictionary<string, List<Sample>> samples, string name) =>
        samples.TryGetValue(name, out var list) && list.Count > 0 ? Median(list.Select(s => s.Images / s.Wall)) : double.NaN;

    private static double Milliseconds(Dictionary<string, List<Sample>> samples, string name, int batch) => 1000.0 * batch / Rate(samples, name);

    private static string Cell(Dictionary<string, List<Sample>> samples, string name)
    {
        if (!samples.TryGetValue(name, out var list) || list.Count == 0)
        {
            return "-";
        }

        double median = Median(list.Select(s => s.Images / s.Wall)), best = list.Max(s => s.Images / s.Wall), cpu = Median(list.Select(s => s.Images / s.Cpu));
        return $"{median,7:F1} [{best,7:F1}] |{cpu,7:F1}";
    }

    private static string Time(Dictionary<string, List<Sample>> samples, string name, int batch)
    {
        if (!samples.TryGetValue(name, out var list) || list.Count == 0)
        {
            return "-";
        }

        double median = 1000.0 * batch / Median(list.Select(s => s.Images / s.Wall)), best = list.Min(s => 1000.0 * s.Wall * batch / s.Images);
        return $"{median,8:F2} [{best,8:F2}]";
    }

    private static string Ratio(double numerator, double denominator, double target)
    {
        if (double.IsNaN(numerator) || double.IsNaN(denominator))
        {
            return "-";
        }

        double ratio = numerator / denominator;
        return $"{ratio:F2}{(ratio < target ? "*" : " ")}";
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
