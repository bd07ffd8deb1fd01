using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;

namespace Microsoft.ML.Pruning.Streaming.Benchmarks;

/// <summary>
/// What each shuffle costs in accuracy and time: the same pipeline (an MLP 784-128-10, five epochs on 20,000
/// Fashion-MNIST rows) fitted over seeds with each way of shuffling, on the rows in their file order and sorted by class
/// (the worst case for a bounded shuffle).
/// </summary>
internal static class ShuffleBenchmark
{
    /// <summary><c>shuffle [--rows 20000] [--seeds 3] [--threads 2] [--epochs 5]</c>.</summary>
    public static int Run(string[] args)
    {
        int rows = Measure.Integer(args, "--rows", 20000), seeds = Measure.Integer(args, "--seeds", 3), threads = Measure.Integer(args, "--threads", 2), epochs = Measure.Integer(args, "--epochs", 5);
        var (train, test) = IdxLoader.LoadFashionMnist(IdxLoader.FashionMnistDefaultDirectory);
        train = train.Flatten().Take(rows);
        var sorted = train.Select(Enumerable.Range(0, train.Count).OrderBy(i => train.Labels[i]).ThenBy(i => i).ToArray());
        var ml = new MLContext(seed: 1);
        var testView = ml.Data.LoadFromDataset(test.Flatten());
        long rowBytes = 784 * sizeof(float);
        // name, DataMemoryLimit, how the view is prepared
        (string Name, long Limit, Func<IDataView, IDataView> Prepare)[] strategies =
        [
            ("in memory (Dataset, full shuffle)", 1L << 30, v => v),
            ("AppendCacheCheckpoint (ML.NET's permutation)", 0, v => ml.Data.Cache(v)),
            ("shuffle buffer 1,024 rows", 2 * 1024 * rowBytes, v => v),
            ("shuffle buffer 8,192 rows", 2 * 8192 * rowBytes, v => v),
            ("ML.NET ShuffleRows (pool 1,000), then streamed", 2 * rowBytes, v => ml.Data.ShuffleRows(v, seed: 1, shufflePoolSize: 1000)),
        ];
        Console.WriteLine($"MLP 784-128-10, {epochs} epochs, batch 128, {rows:N0} Fashion-MNIST training rows, accuracy on the 10,000 test rows; {threads} threads; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        foreach (var (order, data) in new[] { ("file order", train), ("sorted by class", sorted) })
        {
            foreach (var (name, limit, prepare) in strategies)
            {
                var accuracies = new List<double>();
                var watch = Stopwatch.StartNew();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                for (int seed = 1; seed <= seeds; seed++)
                {
                    var view = prepare(ml.Data.LoadFromDataset(data));
                    var options = new NeuralNetworkTrainerOptions { Epochs = epochs, BatchSize = 128, Seed = seed, NumberOfThreads = threads, DataMemoryLimit = limit };
                    var model = ml.MulticlassClassification.Trainers.NeuralNetwork(new NetworkBuilder(784).Dense(128).Relu().Dense(10).Build(seed: seed), options).Fit(view);
                    accuracies.Add(ml.MulticlassClassification.Evaluate(model.Transform(testView)).MicroAccuracy);
                }

                double seconds = watch.Elapsed.TotalSeconds / seeds, cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / seeds;
                double mean = accuracies.Average(), spread = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / Math.Max(1, accuracies.Count - 1));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{order,-16} {name,-50} accuracy {mean:P2} ± {spread:P2} ({string.Join(", ", accuracies.Select(a => a.ToString("P2", CultureInfo.InvariantCulture)))}); {seconds:F1} s a fit, CPU {cpuSeconds:F1} s"));
            }
        }

        return 0;
    }
}
