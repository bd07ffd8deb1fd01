// Training throughput (batch 128, Adam 1e-3) of the four benchmark networks on this library's managed engine, on raw
// TorchSharp (the peer a .NET user would otherwise pick) and through the TorchSharp backend, at 1 and 2 threads, in
// one run; then what the backend adds over raw TorchSharp per fit (conversion to libtorch and the copy back).
// dotnet run -c Release --project bench/Microsoft.ML.Pruning.TorchSharp.Benchmarks [-- --batches N]
using System.Diagnostics;
using Microsoft.ML.Pruning.Benchmarks;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;
using Microsoft.ML.Pruning.TorchSharp;
using Microsoft.ML.Pruning.TorchSharp.Benchmarks;
using static TorchSharp.torch;

int mlpBatches = args.Length > 1 && args[0] == "--batches" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 12;
int cnnBatches = Math.Max(2, mlpBatches / 4);
const int BatchSize = 128;
Console.WriteLine($"CPU: {Cpu()}; avx512f: {File.ReadAllText("/proc/cpuinfo").Contains(" avx512f", StringComparison.Ordinal)}; {Environment.ProcessorCount} logical cores");
Console.WriteLine("images/s, training, batch 128, Adam; ratio = managed / raw TorchSharp");
Console.WriteLine($"{"model",-40} {"thr",3} {"managed",10} {"TorchSharp",11} {"backend",10} {"ratio",7}");
foreach (var name in BenchmarkModels.Names)
{
    int batches = BenchmarkModels.IsConvolutional(name) ? cnnBatches : mlpBatches;
    var data = Synthetic(BenchmarkModels.Build(name, half: false).InputShape, batches * BatchSize);
    foreach (int threads in new[] { 1, 2 })
    {
        set_num_threads(threads);
        double managed = Managed(name, data, threads);
        double raw = Raw(name, data);
        double backend = Backend(name, data);
        Console.WriteLine($"{BenchmarkModels.Describe(name),-40} {threads,3} {managed,10:F0} {raw,11:F0} {backend,10:F0} {managed / raw,7:F2}");
    }
}

Console.WriteLine();
Console.WriteLine("backend overhead per fit (conversion + copy back), against one 60,000-image epoch of raw TorchSharp at 2 threads:");
set_num_threads(2);
foreach (var name in BenchmarkModels.Names)
{
    int batches = BenchmarkModels.IsConvolutional(name) ? cnnBatches : mlpBatches;
    var data = Synthetic(BenchmarkModels.Build(name, half: false).InputShape, batches * BatchSize);
    double raw = Raw(name, data);
    var network = BenchmarkModels.Build(name, half: false);
    var watch = Stopwatch.StartNew();
    const int Repeats = 5;
    for (int i = 0; i < Repeats; i++)
    {
        using var twin = new TorchNetwork(network, CPU, 0);
        twin.CopyTo();
    }

    double overhead = watch.Elapsed.TotalSeconds / Repeats, epoch = 60000 / raw;
    Console.WriteLine($"{BenchmarkModels.Describe(name),-40} {overhead * 1000,8:F1} ms of a {epoch,6:F1} s epoch = {100 * overhead / epoch,6:F3} %");
}

static double Managed(string name, Dataset data, int threads)
{
    using var scope = ComputeSettings.UseDegreeOfParallelism(threads);
    var network = BenchmarkModels.Build(name, half: false);
    Fit(network, Subset(data, 2 * 128), null);
    return Fit(network, data, null);
}

static double Backend(string name, Dataset data)
{
    var network = BenchmarkModels.Build(name, half: false);
    var backend = new TorchSharpBackend();
    Fit(network, Subset(data, 2 * 128), backend);
    return Fit(network, data, backend);
}

static double Fit(Network network, Dataset data, ITrainingBackend? backend)
{
    var options = new TrainerOptions { Epochs = 1, BatchSize = 128, Optimizer = new AdamOptimizer(1e-3f), KeepBestCheckpoint = false, Backend = backend };
    var watch = Stopwatch.StartNew();
    new Trainer(options).Fit(network, data);
    return data.Count / watch.Elapsed.TotalSeconds;
}

static double Raw(string name, Dataset data)
{
    using var model = PeerModels.Build(name);
    using var optimizer = optim.Adam(model.parameters(), 1e-3);
    long[] shape = [data.Count, .. data.SampleShape.Select(d => (long)d)];
    using var features = tensor(data.Features.Span.ToArray(), shape);
    using var labels = tensor(data.Labels.Select(l => (long)l).ToArray());
    void Epoch(int count)
    {
        for (int start = 0; start < count; start += 128)
        {
            using var scope = NewDisposeScope();
            var x = features.narrow(0, start, Math.Min(128, count - start));
            var y = labels.narrow(0, start, Math.Min(128, count - start));
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.forward(x), y).backward();
            optimizer.step();
        }
    }

    Epoch(2 * 128);
    var watch = Stopwatch.StartNew();
    Epoch(data.Count);
    return data.Count / watch.Elapsed.TotalSeconds;
}

static Dataset Synthetic(int[] shape, int count)
{
    var random = new Random(1);
    int width = shape.Aggregate(1, (a, b) => a * b);
    var features = new float[count * width];
    for (int i = 0; i < features.Length; i++)
    {
        features[i] = random.NextSingle();
    }

    return Dataset.FromArray(features, shape, Enumerable.Range(0, count).Select(i => i % 10).ToArray(), 10);
}

static Dataset Subset(Dataset data, int count) => data.Select(Enumerable.Range(0, count).ToArray());

static string Cpu() => File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "unknown";
