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
/// as the median with the minimum and maximum.
/// </summary>
/// <remarks>
/// Options: <c>--models mlp-a,mlp-b,lenet5,vgg</c>, <c>--variants full,half</c>, <c>--threads 1,2</c>,
/// <c>--tasks train128,infer1,infer1024</c>, <c>--runs 5</c>, <c>--seconds 0.3</c> (length of one sample),
/// <c>--data /usr/share/datasets/fashion-mnist</c>, <c>--json out.json</c>.
/// Training is Adam (learning rate 1e-3) on batches of 128 drawn in a seeded random order, each step including the
/// batch gather, forward, softmax cross-entropy, backward and the optimizer step. Inference runs consecutive test
/// batches in inference mode.
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
        string[] variants = List(args, "--variants", "full,half");
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
            foreach (string variant in variants)
            {
                long macs = BenchmarkModels.Build(model, variant == "half").MultiplyAdds;
                foreach (int t in threads)
                {
                    ComputeSettings.DegreeOfParallelism = t;
                    foreach (string task in tasks)
                    {
                        // A fresh network per cell, so optimizer state and buffers never carry over between cells.
                        var network = BenchmarkModels.Build(model, variant == "half");
                        var samples = task switch
                        {
                            "train128" => Train(network, conv ? train : flatTrain, runs, seconds),
                            "infer1" => Infer(network, conv ? test : flatTest, 1, runs, seconds),
                            "infer1024" => Infer(network, conv ? test : flatTest, 1024, runs, seconds),
                            _ => throw new ArgumentException($"Unknown task '{task}'; use train128, infer1 or infer1024."),
                        };
                        Array.Sort(samples);
                        double median = samples[samples.Length / 2];
                        Console.WriteLine($"{model,-7} {variant,-5} {t}t {task,-10} {median,12:F0} images/s  [{samples[0]:F0} .. {samples[^1]:F0}]  {macs:N0} MACs");
                        rows.Add(new Dictionary<string, object>
                        {
                            ["model"] = model, ["variant"] = variant, ["threads"] = t, ["task"] = task,
                            ["median"] = median, ["min"] = samples[0], ["max"] = samples[^1], ["macs"] = macs,
                            ["samples"] = samples,
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

    /// <summary>Returns images/s samples of Adam training steps at batch 128.</summary>
    private static double[] Train(Network network, Dataset data, int runs, double seconds)
    {
        var optimizer = new AdamOptimizer(learningRate: 1e-3f);
        var loss = new SoftmaxCrossEntropyLoss();
        var parameters = network.Parameters.ToArray();
        var features = new Tensor([TrainBatch, .. data.SampleShape]);
        var labels = new int[TrainBatch];
        var gradient = new Tensor(TrainBatch, 1);
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

        return Sample(Step, TrainBatch, runs, seconds);
    }

    /// <summary>Returns images/s samples of inference at the given batch size.</summary>
    private static double[] Infer(Network network, Dataset data, int batch, int runs, double seconds)
    {
        var features = new Tensor([batch, .. data.SampleShape]);
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

        return Sample(Step, batch, runs, seconds);
    }

    /// <summary>Warms up, picks a step count per sample, and returns <paramref name="runs"/> images/s samples.</summary>
    internal static double[] Sample(Action step, int imagesPerStep, int runs, double seconds)
    {
        var watch = Stopwatch.StartNew();
        int calls = 0;
        while (calls < 3 || watch.Elapsed.TotalSeconds < Math.Max(0.2, seconds))
        {
            step();
            calls++;
        }

        int steps = Math.Max(2, (int)Math.Ceiling(seconds * calls / watch.Elapsed.TotalSeconds));
        var samples = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            watch.Restart();
            for (int s = 0; s < steps; s++)
            {
                step();
            }

            samples[r] = (double)steps * imagesPerStep / watch.Elapsed.TotalSeconds;
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
