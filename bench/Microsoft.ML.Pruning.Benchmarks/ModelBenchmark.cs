using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>
/// Training and inference throughput of the four benchmark models on Fashion-MNIST, measured the way
/// bench/models_torch.py measures PyTorch: warm up, then several timed samples of a fixed number of batches, reported
/// as the median with the minimum and maximum. The variants of a model (full, half, pruned) take their samples in
/// turn, so that the time ratios between them compare samples taken under the same load.
/// </summary>
/// <remarks>
/// Options: <c>--models mlp-a,mlp-b,lenet5,vgg</c>, <c>--variants full,half,pruned</c>, <c>--threads 1,2</c>,
/// <c>--tasks train128,infer1,infer1024</c>, <c>--runs 5</c>, <c>--seconds 0.3</c> (length of one sample),
/// <c>--data /usr/share/datasets/fashion-mnist</c>, <c>--json out.json</c>.
/// Training is Adam (learning rate 1e-3) on batches of 128 drawn in a seeded random order, each step including the
/// batch gather, forward, softmax cross-entropy, backward and the optimizer step. Inference runs consecutive test
/// batches in inference mode. The "half" variant is built directly with about half the units; "pruned" is the full
/// model structurally pruned by the library to about half its multiply-adds (<see cref="BenchmarkModels.Prune"/>), and
/// is measured for inference only.
/// </remarks>
internal static class ModelBenchmark
{
    private const int TrainBatch = 128;

    /// <summary>Runs the measurements and prints one line per cell.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args)
    {
        string[] models = List(args, "--models", string.Join(",", BenchmarkModels.Names));
        string[] variants = List(args, "--variants", "full,half,pruned");
        string[] tasks = List(args, "--tasks", "train128,infer1,infer1024");
        int[] threads = List(args, "--threads", "1,2").Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        int runs = int.Parse(Option(args, "--runs") ?? "5", CultureInfo.InvariantCulture);
        double seconds = double.Parse(Option(args, "--seconds") ?? "0.3", CultureInfo.InvariantCulture);
        string data = Option(args, "--data") ?? IdxLoader.FashionMnistDefaultDirectory;

        var (train, test) = IdxLoader.LoadFashionMnist(data);
        var flatTrain = train.Flatten();
        var flatTest = test.Flatten();
        var rows = new List<Dictionary<string, object>>();
        Console.WriteLine($"ours: median of {runs} samples of about {seconds:F2} s; {Environment.ProcessorCount} processors, GEMM kernel {Gemm.ActiveKernel}");
        foreach (string model in models)
        {
            bool conv = BenchmarkModels.IsConvolutional(model);
            var shapes = new Dictionary<string, (Func<Network> Create, long Macs, string Widths, double Rate)>();
            foreach (string variant in variants)
            {
                (Network Network, double Rate)? pruned = variant == "pruned" ? BenchmarkModels.Prune(model) : null;
                Func<Network> create = pruned is { } p ? () => NetworkSerializer.Clone(p.Network) : () => BenchmarkModels.Build(model, variant == "half");
                var shape = create();
                shapes[variant] = (create, shape.MultiplyAdds, BenchmarkModels.Widths(shape), pruned?.Rate ?? 0);
                if (pruned is { } found)
                {
                    Console.WriteLine($"{model,-7} pruned by StructuredPruning(WeightNormImportance) at rate {found.Rate:F4}: {shapes[variant].Widths}, {shape.MultiplyAdds:N0} MACs");
                }
            }

            foreach (int t in threads)
            {
                ComputeSettings.DegreeOfParallelism = t;
                foreach (string task in tasks)
                {
                    // The variants of a cell take their samples in turn, so load from other work falls on all alike.
                    // Pruned variants are measured for inference only. A fresh network per cell, so optimizer state
                    // and buffers never carry over between cells.
                    var cell = variants.Where(v => !(v == "pruned" && task == "train128")).ToArray();
                    var steps = cell.Select(variant =>
                    {
                        var network = shapes[variant].Create();
                        return task switch
                        {
                            "train128" => (TrainStep(network, conv ? train : flatTrain), TrainBatch),
                            "infer1" => (InferStep(network, conv ? test : flatTest, 1), 1),
                            "infer1024" => (InferStep(network, conv ? test : flatTest, 1024), 1024),
                            _ => throw new ArgumentException($"Unknown task '{task}'; use train128, infer1 or infer1024."),
                        };
                    }).ToArray();
                    var samples = SampleInTurn(steps, runs, seconds);
                    for (int v = 0; v < cell.Length; v++)
                    {
                        var (_, macs, widths, rate) = shapes[cell[v]];
                        var sorted = samples[v].Order().ToArray();
                        double median = sorted[sorted.Length / 2];
                        Console.WriteLine($"{model,-7} {cell[v],-6} {t}t {task,-10} {median,12:F0} images/s  [{sorted[0]:F0} .. {sorted[^1]:F0}]  {macs:N0} MACs  {widths}");
                        rows.Add(new Dictionary<string, object>
                        {
                            ["model"] = model, ["variant"] = cell[v], ["threads"] = t, ["task"] = task,
                            ["median"] = median, ["min"] = sorted[0], ["max"] = sorted[^1], ["macs"] = macs, ["widths"] = widths,
                            ["rate"] = rate, ["samples"] = samples[v],
                        });
                    }
                }
            }
        }

        if (Option(args, "--json") is { } path)
        {
            var document = new Dictionary<string, object>
            {
                ["side"] = "ours", ["unit"] = "images/s", ["runs"] = runs, ["kernel"] = Gemm.ActiveKernel.ToString(), ["results"] = rows,
            };
            File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
        }

        return 0;
    }

    /// <summary>Returns one Adam training step at batch 128 on the next batch of a seeded random order.</summary>
    private static Action TrainStep(Network network, Dataset data)
    {
        var optimizer = new AdamOptimizer(learningRate: 1e-3f);
        var loss = new SoftmaxCrossEntropyLoss();
        var parameters = network.Parameters.ToArray();
        var features = new FloatTensor([TrainBatch, .. data.SampleShape]);
        var labels = new int[TrainBatch];
        var gradient = new FloatTensor(TrainBatch, 1);
        var order = Enumerable.Range(0, data.Count).ToArray();
        new Random(1).Shuffle(order);
        int cursor = 0;
        void Step()
        {
            if (cursor + TrainBatch > order.Length)
            {
                cursor = 0;
            }

            data.CopyBatch(order.AsSpan(cursor, TrainBatch), features, labels);
            cursor += TrainBatch;
            var output = network.Forward(features, training: true);
            loss.Compute(output, labels, gradient);
            network.Backward(gradient);
            optimizer.Step(parameters);
        }

        return Step;
    }

    /// <summary>Returns one inference step on the next consecutive test batch of the given size.</summary>
    private static Action InferStep(Network network, Dataset data, int batch)
    {
        var features = new FloatTensor([batch, .. data.SampleShape]);
        var labels = new int[batch];
        var indices = new int[batch];
        int cursor = 0;
        void Step()
        {
            if (cursor + batch > data.Count)
            {
                cursor = 0;
            }

            for (int i = 0; i < batch; i++)
            {
                indices[i] = cursor + i;
            }

            data.CopyBatch(indices, features, labels);
            cursor += batch;
            network.Forward(features, training: false);
        }

        return Step;
    }

    /// <summary>
    /// Warms up each step and picks its step count per sample, then takes <paramref name="runs"/> rounds in which every
    /// step takes one sample in turn.
    /// </summary>
    /// <param name="steps">The steps and the images each processes.</param>
    /// <param name="runs">The number of samples per step.</param>
    /// <param name="seconds">The length of one sample.</param>
    /// <returns>For each step, its images/s samples in round order.</returns>
    internal static double[][] SampleInTurn(IReadOnlyList<(Action Step, int Images)> steps, int runs, double seconds)
    {
        var watch = new Stopwatch();
        var counts = new int[steps.Count];
        for (int v = 0; v < steps.Count; v++)
        {
            watch.Restart();
            int calls = 0;
            while (calls < 3 || watch.Elapsed.TotalSeconds < Math.Max(0.2, seconds))
            {
                steps[v].Step();
                calls++;
            }

            counts[v] = Math.Max(2, (int)Math.Ceiling(seconds * calls / watch.Elapsed.TotalSeconds));
        }

        var samples = steps.Select(_ => new double[runs]).ToArray();
        for (int r = 0; r < runs; r++)
        {
            for (int v = 0; v < steps.Count; v++)
            {
                watch.Restart();
                for (int s = 0; s < counts[v]; s++)
                {
                    steps[v].Step();
                }

                samples[v][r] = (double)counts[v] * steps[v].Images / watch.Elapsed.TotalSeconds;
            }
        }

        return samples;
    }

    internal static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string[] List(string[] args, string name, string fallback) =>
        (Option(args, name) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
