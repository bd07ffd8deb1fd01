using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>
/// Peak working set while fine-tuning the MLP 784-550-375x4-10 at batch 128 on Fashion-MNIST, beyond the data set.
/// </summary>
/// <remarks>
/// The data is loaded first; then the kernel's peak-RSS counter is reset (writing 5 to /proc/self/clear_refs), so the
/// loader's transient buffers do not count, and one epoch of training with evaluation on the test set runs through
/// <see cref="Trainer"/>. The reported figure is VmHWM (the whole process: runtime, JIT, data and training state)
/// minus the bytes of the training and test features and labels.
/// Options: <c>--batches 200</c> (training batches; the default is one epoch), <c>--threads 2</c>, <c>--json out.json</c>.
/// </remarks>
internal static class MemoryProbe
{
    /// <summary>Runs the probe and prints the figures.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args)
    {
        ComputeSettings.DegreeOfParallelism = int.Parse(ModelBenchmark.Option(args, "--threads") ?? "2", CultureInfo.InvariantCulture);
        string data = ModelBenchmark.Option(args, "--data") ?? IdxLoader.FashionMnistDefaultDirectory;
        long before = ReadStatus("VmRSS");
        var (train, test) = IdxLoader.LoadFashionMnist(data);
        train = train.Flatten();
        test = test.Flatten();
        if (ModelBenchmark.Option(args, "--batches") is { } batches)
        {
            train = train.Take(Math.Min(train.Count, int.Parse(batches, CultureInfo.InvariantCulture) * 128));
        }

        long datasetBytes = ((long)train.Features.Data.Length * sizeof(float)) + (train.Labels.Length * sizeof(int))
            + ((long)test.Features.Data.Length * sizeof(float)) + (test.Labels.Length * sizeof(int));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long loaded = ReadStatus("VmRSS");
        bool reset = TryResetPeak();

        var network = BenchmarkModels.Build("mlp-b", half: false);
        var trainer = new Trainer(new TrainerOptions
        {
            Epochs = 1, BatchSize = 128, Seed = 1, Optimizer = new AdamOptimizer(learningRate: 1e-3f), KeepBestCheckpoint = true,
        });
        var watch = Stopwatch.StartNew();
        var result = trainer.Fit(network, train, test);
        double seconds = watch.Elapsed.TotalSeconds;
        long peak = ReadStatus("VmHWM");
        long peakWorkingSet = Process.GetCurrentProcess().PeakWorkingSet64;
        const double MiB = 1024.0 * 1024.0;
        Console.WriteLine($"ours: fine-tuning MLP 784-550-375x4-10, batch 128, {train.Count:N0} images, {seconds:F1} s, test accuracy {result.History[^1].ValidationAccuracy:P1}");
        Console.WriteLine($"  RSS before loading {before / MiB:F0} MiB, after loading {loaded / MiB:F0} MiB; data set {datasetBytes / MiB:F0} MiB; peak reset {(reset ? "yes" : "no (includes the loader)")}");
        Console.WriteLine($"  peak working set (VmHWM) {peak / MiB:F0} MiB (PeakWorkingSet64 {peakWorkingSet / MiB:F0} MiB); beyond the data set {(peak - datasetBytes) / MiB:F0} MiB");
        if (ModelBenchmark.Option(args, "--json") is { } path)
        {
            var document = new Dictionary<string, object>
            {
                ["side"] = "ours", ["peak_mib"] = peak / MiB, ["dataset_mib"] = datasetBytes / MiB,
                ["beyond_dataset_mib"] = (peak - datasetBytes) / MiB, ["rss_before_load_mib"] = before / MiB,
                ["rss_after_load_mib"] = loaded / MiB, ["peak_reset"] = reset, ["images"] = train.Count,
            };
            File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
        }

        return 0;
    }

    private static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Reads a size line (kB) of /proc/self/status in bytes.</summary>
    private static long ReadStatus(string key)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/self/status has no {key} line.");
    }
}
