using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Benchmarks.Cnn;

/// <summary>
/// The CNN benchmark: one run, every runtime in every cell, rounds alternating between the runtimes.
/// Training (forward, cross-entropy, backward, SGD step) of resnet18, mobilenet_v2 and efficientnet_b0 at 3x64x64 and
/// 3x224x224, batch 32, and of LeNet-5 and MLP 784-550-375x4-10 at batch 128: ours against raw TorchSharp (libtorch's
/// conv2d on the same graph), the library's TorchSharp backend (Trainer.Fit) and PyTorch 1.13 (same graph, BatchNorm
/// folded). Inference at batch 1 and 32 of the three CNNs and of their 50 % L1-pruned versions (RoundTo 8): ours
/// against ONNX Runtime (1 intra-op thread at 1 thread, default options at 2), raw TorchSharp and PyTorch 1.13.
/// Each runtime warms up (past the JIT's tier 0, then until three steps agree within 10 %), then the rounds alternate;
/// each figure is the median (and best) of the rounds, in images per wall-clock second and per CPU second.
/// Usage: <c>--cnn [--tasks train,infer] [--models resnet18,mobilenet_v2,efficientnet_b0,lenet5,mlp-b] [--sizes 64,224]
/// [--threads 1,2] [--rounds 3] [--round-seconds 1.5] [--no-pytorch] [--no-torchsharp] [--no-backend] [--json path] [--max-few-columns n]</c>.
/// </summary>
internal static partial class CnnBenchmark
{
    private static readonly string[] AllModels = ["resnet18", "mobilenet_v2", "efficientnet_b0", "lenet5", "mlp-b"];

    public static int Run(string[] args)
    {
        var options = new Settings(args);
        if (ModelBenchmark.Option(args, "--max-few-columns") is { } few)
        {
            // Columns up to which a batch-1 convolution takes the few-columns product (0: never), for comparisons.
            Conv2d.MaxFewColumns = int.Parse(few, CultureInfo.InvariantCulture);
        }

        if (!File.Exists(Path.Combine(CnnModels.Folder, "manifest.json")))
        {
            Console.Error.WriteLine($"{CnnModels.Folder} is missing; run bash build/setup.d/torchvision.sh.");
            return 1;
        }

        global::TorchSharp.torch.set_num_interop_threads(1);
        using var python = options.PyTorch ? PythonPeer.Start(Path.Combine(CnnModels.Root, "bench", "cnn_torch.py"), Environment()) : null;
        var results = new List<object>();
        var work = Directory.CreateTempSubdirectory("cnn-bench");
        try
        {
            foreach (int threads in options.Threads)
            {
                SetThreads(threads);
                if (options.Tasks.Contains("train"))
                {
                    Training(options, threads, python, results);
                }

                if (options.Tasks.Contains("infer"))
                {
                    Inference(options, threads, python, work.FullName, results);
                }
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }

        if (options.Json is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, JsonSerializer.Serialize(new { machine = Machine.Describe(), results }, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"samples written to {path}");
        }

        return 0;
    }

    private static void SetThreads(int threads)
    {
        ComputeSettings.DegreeOfParallelism = threads;
        global::TorchSharp.torch.set_num_threads(threads);
    }

    // The PyTorch peer gets OpenBLAS-OpenMP when bench/cnn.sh unpacked it (Debian's torch otherwise links a reference BLAS).
    private static Dictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = System.Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture) };
        string openBlas = Path.Combine(CnnModels.Root, "bench", ".peer", "usr", "lib", "x86_64-linux-gnu", "openblas-openmp");
        if (File.Exists(Path.Combine(openBlas, "libblas.so.3")))
        {
            environment["LD_LIBRARY_PATH"] = openBlas + (System.Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") is { Length: > 0 } old ? ":" + old : "");
            environment["OPENBLAS_CORETYPE"] = System.Environment.GetEnvironmentVariable("PEER_CORETYPE") ?? (Machine.Flags.Contains("avx512f") ? "SkylakeX" : "Haswell");
        }

        return environment;
    }

    /// <summary>Warms every runtime up, then times <paramref name="rounds"/> rounds, the runtimes taking turns in each.</summary>
    private static Dictionary<string, List<Sample>> Alternate(IReadOnlyList<Runtime> runtimes, int rounds, double roundSeconds)
    {
        var samples = runtimes.ToDictionary(r => r.Name, _ => new List<Sample>());
        var live = new List<Runtime>();
        foreach (var runtime in runtimes)
        {
            try
            {
                runtime.WarmUp();
                live.Add(runtime);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                Console.WriteLine($"    {runtime.Name} failed: {error.GetType().Name}: {error.Message.Split('\n')[0]}");
            }
        }

        for (int round = 0; round < rounds; round++)
        {
            foreach (var runtime in live)
            {
                int steps = Math.Max(1, (int)Math.Ceiling(roundSeconds / Math.Max(1e-6, runtime.StepSeconds)));
                samples[runtime.Name].Add(runtime.Round(steps));
            }
        }

        // A 224x224 cell holds gigabytes in every runtime: free them before the next cell builds its own.
        foreach (var runtime in runtimes)
        {
            runtime.Dispose();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return samples;
    }

    private static Network Load(string model, int size) => CnnModels.Load(model, size);

    internal static Network Pruned(string model, int size)
    {
        var network = Load(model, size);
        new StructuredPruning(new WeightNormImportance(WeightNorm.L1), new StructuredPruningOptions { RoundTo = 8 }).Apply(network, 0.5, null);
        return network;
    }

    /// <summary>The command line.</summary>
    private sealed class Settings
    {
        public Settings(string[] args)
        {
            string[] List(string name, string fallback) => (ModelBenchmark.Option(args, name) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries);
            Tasks = List("--tasks", "train,infer");
            Models = List("--models", string.Join(",", AllModels));
            Sizes = List("--sizes", "64,224").Select(int.Parse).ToArray();
            Threads = List("--threads", "1,2").Select(int.Parse).ToArray();
            Rounds = int.Parse(ModelBenchmark.Option(args, "--rounds") ?? "3", CultureInfo.InvariantCulture);
            RoundSeconds = double.Parse(ModelBenchmark.Option(args, "--round-seconds") ?? "1.5", CultureInfo.InvariantCulture);
            PyTorch = !args.Contains("--no-pytorch");
            TorchSharp = !args.Contains("--no-torchsharp");
            Backend = TorchSharp && !args.Contains("--no-backend");
            Json = ModelBenchmark.Option(args, "--json");
        }

        public string[] Tasks { get; }

        public string[] Models { get; }

        public int[] Sizes { get; }

        public int[] Threads { get; }

        public int Rounds { get; }

        public double RoundSeconds { get; }

        public bool PyTorch { get; }

        public bool TorchSharp { get; }

        public bool Backend { get; }

        public string? Json { get; }
    }
}
