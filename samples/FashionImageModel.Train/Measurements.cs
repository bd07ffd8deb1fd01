using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Pruning;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.Tensors;

namespace FashionImageModel;

/// <summary>One model's figures: accuracies at each stage, size, multiply-adds and latencies before and after pruning.</summary>
internal sealed record RunResult(string Name)
{
    public double? HeadOnly { get; init; }
    public double? FineTuned { get; init; }
    public double? Pruned { get; init; }
    public double? Final { get; init; }
    public double? TestHeadOnly { get; init; }
    public double? TestFineTuned { get; init; }
    public double? TestPruned { get; init; }
    public double TestFinal { get; init; }
    public ModelSnapshot? Before { get; init; }
    public ModelSnapshot? After { get; init; }
    public (double Batch1, double Batch32)? EngineBefore { get; init; }
    public (double Batch1, double Batch32)? EngineAfter { get; init; }
    public (double Batch1, double Batch32)? OnnxRuntimeBefore { get; init; }
    public (double Batch1, double Batch32)? OnnxRuntimeAfter { get; init; }
    public double PredictionMilliseconds { get; init; }
    public long ZipBytes { get; init; }
}

/// <summary>Measures a fitted pipeline: accuracy on the test images at each stage, latencies, sizes.</summary>
internal static class Measurements
{
    /// <summary>Runs before any timing: past .NET's tier-0 JIT (30 calls) and ONNX Runtime's first-run allocations.</summary>
    private const int WarmUp = 40;

    public static RunResult Measure(MLContext ml, string name, ITransformer model, DataViewSchema schema, IDataView test, ModelInput[] testRows, SampleOptions options, string path)
    {
        var stages = ((IEnumerable<ITransformer>)model).OfType<NeuralNetworkTransformer>().ToArray();
        // The test images as the stages read them (decoded once), then each stage's network on them.
        var featurized = ml.Data.Cache(((IEnumerable<ITransformer>)model).TakeWhile(t => t is not NeuralNetworkTransformer).Aggregate(test, (data, t) => t.Transform(data)));
        double[] testAccuracy = stages.Select(s => ml.MulticlassClassification.Evaluate(s.Transform(featurized)).MicroAccuracy).ToArray();
        ml.Model.SaveAtomic(model, schema, path);
        // The stages: the model stage (head only, or from scratch every layer), fine-tuning, pruning, fine-tuning.
        var (model0, tuned, pruned, last) = (stages[0], stages[^3], stages[^2], stages[^1]);
        var before = tuned.Network;
        var after = last.Network;
        var result = new RunResult(name)
        {
            HeadOnly = model0.Report.Final.Accuracy,
            FineTuned = tuned.Report.Final.Accuracy,
            Pruned = pruned.Report.Final.Accuracy,
            Final = last.Report.Final.Accuracy,
            TestHeadOnly = testAccuracy[0],
            TestFineTuned = testAccuracy[^3],
            TestPruned = testAccuracy[^2],
            TestFinal = testAccuracy[^1],
            Before = tuned.Report.Final,
            After = last.Report.Final,
            EngineBefore = EngineLatency(before),
            EngineAfter = EngineLatency(after),
            OnnxRuntimeBefore = OnnxRuntimeLatency(before),
            OnnxRuntimeAfter = OnnxRuntimeLatency(after),
            PredictionMilliseconds = PredictionLatency(ml, path, testRows),
            ZipBytes = new FileInfo(path).Length,
        };
        Console.WriteLine($"{name}: test accuracy {result.TestFinal:P2}; pruned {pruned.Report.Removed:N0} filters, multiply-adds {after.MultiplyAdds:N0} of {before.MultiplyAdds:N0} ({(double)after.MultiplyAdds / before.MultiplyAdds:P0})");
        return result;
    }

    /// <summary>The median milliseconds of one PredictionEngine.Predict on an image file, after 40 warm-up predictions (past .NET's tier-0 JIT), over 200 images.</summary>
    public static double PredictionLatency(MLContext ml, string path, ModelInput[] rows)
    {
        var engine = ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(ml.Model.Load(path, out _));
        foreach (var row in rows.Take(WarmUp))
        {
            engine.Predict(row);
        }

        return Median(rows.Skip(WarmUp).Take(200).Select(row => Time(() => engine.Predict(row))));
    }

    /// <summary>The median milliseconds of the engine's forward pass on batches of 1 and 32, after <see cref="WarmUp"/> passes.</summary>
    private static (double, double) EngineLatency(Network network)
    {
        double Run(int batch)
        {
            var input = Pixels(network.InputShape, batch);
            WarmUpRuns(() => network.Forward(input));
            return Median(Enumerable.Range(0, batch == 1 ? 50 : 10).Select(_ => Time(() => network.Forward(input))));
        }

        return (Run(1), Run(32));
    }

    /// <summary>The median milliseconds of ONNX Runtime (the network exported as ONNX, all cores) on batches of 1 and 32, after <see cref="WarmUp"/> runs.</summary>
    private static (double, double) OnnxRuntimeLatency(Network network)
    {
        using var stream = new MemoryStream();
        OnnxModel.Save(network, stream);
        using var session = new InferenceSession(stream.ToArray(), new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount });
        double Run(int batch)
        {
            var pixels = Pixels(network.InputShape, batch);
            var tensor = new DenseTensor<float>(pixels.Span.ToArray(), [batch, .. network.InputShape]);
            var inputs = new[] { NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), tensor) };
            WarmUpRuns(() => session.Run(inputs).Dispose());
            return Median(Enumerable.Range(0, batch == 1 ? 50 : 10).Select(_ => Time(() => session.Run(inputs).Dispose())));
        }

        return (Run(1), Run(32));
    }

    public static void PrintTable(IReadOnlyList<RunResult> results)
    {
        static string P(double? v) => v is { } x ? x.ToString("P1", CultureInfo.InvariantCulture) : "-";
        static string Ms(double? v) => v is { } x ? x.ToString("F2", CultureInfo.InvariantCulture) : "-";
        static string N(long? v) => v is { } x ? x.ToString("N0", CultureInfo.InvariantCulture) : "-";
        static string Pair<T>(T? before, T? after, Func<T?, string> format) => $"{format(before)} → {format(after)}";
        Console.WriteLine();
        Console.WriteLine($"| figure | {string.Join(" | ", results.Select(r => r.Name))} |");
        Console.WriteLine($"|---|{string.Concat(results.Select(_ => "---|"))}");
        void Row(string figure, Func<RunResult, string> value) => Console.WriteLine($"| {figure} | {string.Join(" | ", results.Select(value))} |");
        Row("held-out accuracy: head only (from scratch: first epochs) / fine-tuned / pruned / fine-tuned again", r => $"{P(r.HeadOnly)} / {P(r.FineTuned)} / {P(r.Pruned)} / {P(r.Final)}");
        Row("test accuracy: same four", r => $"{P(r.TestHeadOnly)} / {P(r.TestFineTuned)} / {P(r.TestPruned)} / **{P(r.TestFinal)}**");
        Row("parameters", r => Pair(r.Before?.Parameters, r.After?.Parameters, N));
        Row("multiply-adds per image", r => Pair(r.Before?.MultiplyAdds, r.After?.MultiplyAdds, N));
        Row("network bytes", r => Pair(r.Before?.ModelBytes, r.After?.ModelBytes, N));
        Row("engine ms, batch 1", r => Pair(r.EngineBefore?.Batch1, r.EngineAfter?.Batch1, Ms));
        Row("engine ms, batch 32", r => Pair(r.EngineBefore?.Batch32, r.EngineAfter?.Batch32, Ms));
        Row("ONNX Runtime ms, batch 1", r => Pair(r.OnnxRuntimeBefore?.Batch1, r.OnnxRuntimeAfter?.Batch1, Ms));
        Row("ONNX Runtime ms, batch 32", r => Pair(r.OnnxRuntimeBefore?.Batch32, r.OnnxRuntimeAfter?.Batch32, Ms));
        Row("PredictionEngine ms per image file (median)", r => Ms(r.PredictionMilliseconds));
        Row("saved zip bytes", r => N(r.ZipBytes));
    }

    private static FloatTensor Pixels(int[] shape, int batch)
    {
        var random = new Random(1);
        var values = new float[batch * shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(256);
        }

        return FloatTensor.FromValues(values, [batch, .. shape]);
    }

    private static void WarmUpRuns(Action action)
    {
        for (int i = 0; i < WarmUp; i++)
        {
            action();
        }
    }

    private static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
