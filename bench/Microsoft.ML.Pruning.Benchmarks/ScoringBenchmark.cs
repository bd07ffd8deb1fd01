using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>
/// The scoring-cost targets of issue 6: APoZ scoring of every prunable group over 10,000 Fashion-MNIST images against
/// one evaluation forward pass over them, and Taylor scoring against one forward+backward pass (training-mode forward,
/// softmax cross-entropy, backward), all in batches of 256 on the same network and thread count.
/// </summary>
/// <remarks>
/// Options: <c>--models mlp-b,lenet5</c>, <c>--threads 1,2</c>, <c>--runs 5</c>, <c>--count 10000</c> (test images),
/// <c>--data /usr/share/datasets/fashion-mnist</c>, <c>--json out.json</c>. One repetition times the four passes one
/// after the other (forward, forward+backward, APoZ, Taylor), so that load from other work on the machine falls on all
/// four alike; after one warm-up repetition, each figure is the median of <c>--runs</c> repetitions. The ratios are of
/// wall-clock medians; the process's processor time is reported beside them as a check against load from other work. The baselines walk
/// the data with the same batch copy the criteria use (<see cref="CalibrationBatches"/>), so the ratios measure only
/// what scoring adds: counting zeros for APoZ; for Taylor, products of activations and gradients and whatever the
/// backward pass does beyond the baseline's.
/// </remarks>
internal static class ScoringBenchmark
{
    private const int BatchSize = 256;
    private const double ApozTarget = 1.2;
    private const double TaylorTarget = 1.2;

    /// <summary>Runs the measurements and prints one line per model and thread count.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args)
    {
        string[] models = (ModelBenchmark.Option(args, "--models") ?? "mlp-b,lenet5").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int[] threads = (ModelBenchmark.Option(args, "--threads") ?? "1,2").Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        int runs = int.Parse(ModelBenchmark.Option(args, "--runs") ?? "5", CultureInfo.InvariantCulture);
        int count = int.Parse(ModelBenchmark.Option(args, "--count") ?? "10000", CultureInfo.InvariantCulture);
        string data = ModelBenchmark.Option(args, "--data") ?? IdxLoader.FashionMnistDefaultDirectory;

        var (_, test) = IdxLoader.LoadFashionMnist(data);
        test = test.Take(Math.Min(count, test.Count));
        var flatTest = test.Flatten();
        var rows = new List<Dictionary<string, object>>();
        Console.WriteLine($"scoring: {test.Count} images in batches of {BatchSize}; median of {runs} repetitions (after one warm-up)");
        Console.WriteLine($"{"model",-7} {"thr",3} {"forward s",10} {"fwd+bwd s",10} {"APoZ s",10} {"Taylor s",10} {"APoZ/fwd",9} {"Taylor/fb",10}");
        foreach (string model in models)
        {
            var calibration = BenchmarkModels.IsConvolutional(model) ? test : flatTest;
            foreach (int t in threads)
            {
                ComputeSettings.DegreeOfParallelism = t;
                var network = BenchmarkModels.Build(model, half: false);
                var groups = PruningGroups.Find(network);
                var apoz = new ApozImportance(BatchSize);
                var taylor = new TaylorImportance(batchSize: BatchSize);
                var passes = new Action[]
                {
                    () => ForwardPass(network, calibration),
                    () => ForwardBackwardPass(network, calibration),
                    () => apoz.Score(network, groups, calibration),
                    () => taylor.Score(network, groups, calibration),
                };
                var times = passes.Select(_ => new double[runs]).ToArray();
                var cpu = passes.Select(_ => new double[runs]).ToArray();
                for (int r = -1; r < runs; r++)
                {
                    for (int k = 0; k < passes.Length; k++)
                    {
                        var (wall, processor) = Time(passes[k]);
                        if (r >= 0)
                        {
                            times[k][r] = wall;
                            cpu[k][r] = processor;
                        }
                    }
                }

                var median = times.Select(Median).ToArray();
                var cpuMedian = cpu.Select(Median).ToArray();
                double apozRatio = median[2] / median[0], taylorRatio = median[3] / median[1];
                Console.WriteLine($"{model,-7} {t,3} {median[0],10:F3} {median[1],10:F3} {median[2],10:F3} {median[3],10:F3} {apozRatio,8:F2}x {taylorRatio,9:F2}x" +
                    $"   CPU time: {cpuMedian[0]:F3} {cpuMedian[1]:F3} {cpuMedian[2]:F3} {cpuMedian[3]:F3} -> {cpuMedian[2] / cpuMedian[0]:F2}x {cpuMedian[3] / cpuMedian[1]:F2}x");
                rows.Add(new Dictionary<string, object>
                {
                    ["model"] = model, ["threads"] = t, ["images"] = calibration.Count, ["batch"] = BatchSize,
                    ["groups"] = groups.Select(g => g.Name).ToArray(),
                    ["forward_s"] = Summary(times[0]), ["forward_backward_s"] = Summary(times[1]),
                    ["apoz_s"] = Summary(times[2]), ["taylor_s"] = Summary(times[3]),
                    ["cpu_s"] = new Dictionary<string, object>
                    {
                        ["forward"] = Summary(cpu[0]), ["forward_backward"] = Summary(cpu[1]), ["apoz"] = Summary(cpu[2]), ["taylor"] = Summary(cpu[3]),
                    },
                    ["apoz_ratio"] = apozRatio, ["taylor_ratio"] = taylorRatio,
                    ["apoz_ratio_cpu"] = cpuMedian[2] / cpuMedian[0], ["taylor_ratio_cpu"] = cpuMedian[3] / cpuMedian[1],
                    ["apoz_target"] = ApozTarget, ["taylor_target"] = TaylorTarget,
                    ["apoz_met"] = apozRatio <= ApozTarget, ["taylor_met"] = taylorRatio <= TaylorTarget,
                });
            }
        }

        if (ModelBenchmark.Option(args, "--json") is { } path)
        {
            var document = new Dictionary<string, object> { ["side"] = "ours", ["unit"] = "s", ["runs"] = runs, ["results"] = rows };
            File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
        }

        return 0;
    }

    /// <summary>One evaluation-mode forward pass over the data, batch by batch.</summary>
    private static void ForwardPass(Network network, Dataset data)
    {
        using var batches = new CalibrationBatches(data, network, BatchSize);
        while (batches.MoveNext(CancellationToken.None))
        {
            network.Forward(batches.Features, training: false);
        }
    }

    /// <summary>One training-mode forward pass, the loss and one backward pass per batch, without an optimizer step.</summary>
    private static void ForwardBackwardPass(Network network, Dataset data)
    {
        var loss = new SoftmaxCrossEntropyLoss();
        var gradient = new FloatTensor(1);
        using var batches = new CalibrationBatches(data, network, BatchSize, training: true);
        while (batches.MoveNext(CancellationToken.None))
        {
            var output = network.Forward(batches.Features, training: true);
            loss.Compute(output, batches.Labels.AsSpan(0, batches.Count), gradient);
            network.Backward(gradient);
        }
    }

    /// <summary>Runs <paramref name="action"/> and returns its wall-clock time and the process's processor time, in seconds.</summary>
    /// <remarks>
    /// The processor time does not count the time other work on the machine takes the cores away, so at one thread it is
    /// the steadier figure on a loaded machine; at two threads it also counts the workers' spinning while they wait.
    /// </remarks>
    private static (double Wall, double Processor) Time(Action action)
    {
        using var process = Process.GetCurrentProcess();
        var processor = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        double wall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - processor).TotalSeconds);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static Dictionary<string, object> Summary(double[] values) => new()
    {
        ["median"] = Median(values), ["min"] = values.Min(), ["max"] = values.Max(), ["samples"] = values,
    };
}
