using System.Diagnostics;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;

namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>
/// ML.NET scoring of the MLP 784-550-375x4-10 over the 10,000 Fashion-MNIST test images, in one run: our transformer's
/// batched <c>Transform</c> against <c>ApplyOnnxModel</c> over the exported per-row graph (one ONNX Runtime call per row)
/// and against ONNX Runtime's <c>InferenceSession</c> at batch 1,024 over the batch graph; then <c>PredictionEngine</c>
/// single-row latency, ours against OnnxTransformer's. Prints the CPU and the ratios (medians of the repetitions).
/// </summary>
internal static class MlNetScoringBenchmark
{
    private const int Repetitions = 5;

    public static int Run(string[] args)
    {
        string directory = args.SkipWhile(a => a != "--data").Skip(1).FirstOrDefault() ?? "/usr/share/datasets/fashion-mnist";
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromIdx(Path.Combine(directory, "t10k-images-idx3-ubyte.gz"), Path.Combine(directory, "t10k-labels-idx1-ubyte.gz"));
        data = ml.Data.Cache(data);
        var network = new NetworkBuilder(784).Dense(550).Relu().Dense(375).Relu().Dense(375).Relu().Dense(375).Relu().Dense(375).Relu().Dense(10).Build(seed: 1);
        var ours = ml.Pruning().FromNetwork(network).Fit(data);
        using var perRow = new MemoryStream();
        ours.SaveOnnx(perRow, OnnxExportFlavor.PerRow);
        perRow.Position = 0;
        var onnx = ml.Transforms.ApplyOnnxModel(["Score"], ["Features"], perRow).Fit(data);
        using var batchGraph = new MemoryStream();
        ours.SaveOnnx(batchGraph, OnnxExportFlavor.Batch);
        using var session = new InferenceSession(batchGraph.ToArray());
        var rows = ReadFeatures(data);

        Console.WriteLine($"CPU: {Cpu()}; {Environment.ProcessorCount} logical cores; .NET {Environment.Version}");
        Console.WriteLine($"MLP 784-550-375x4-10, {rows.Length:N0} Fashion-MNIST test images; medians of {Repetitions} passes after a warm-up");
        double oursRate = Rate(rows.Length, () => Drain(ours.Transform(data)));
        double onnxTransformerRate = Rate(rows.Length, () => Drain(onnx.Transform(data)));
        double sessionRate = Rate(rows.Length, () => RunSession(session, rows, 1024));
        Console.WriteLine($"batched scoring, images/s: ours {oursRate:N0}; ApplyOnnxModel {onnxTransformerRate:N0}; InferenceSession batch 1024 {sessionRate:N0}");
        Console.WriteLine($"ratios: ours / ApplyOnnxModel x{oursRate / onnxTransformerRate:F2} (target >= 5); ours / InferenceSession x{oursRate / sessionRate:F2} (target >= 1.0)");

        var inputs = Enumerable.Range(0, 2000).Select(i => new ImageRow { Features = rows[i % rows.Length] }).ToArray();
        var oursEngine = ml.Model.CreatePredictionEngine<ImageRow, ScoreRow>(ours);
        var onnxEngine = ml.Model.CreatePredictionEngine<ImageRow, ScoreRow>(onnx);
        double oursLatency = Latency(oursEngine, inputs), onnxLatency = Latency(onnxEngine, inputs);
        Console.WriteLine($"PredictionEngine single-row latency, microseconds: ours {oursLatency:F1}; OnnxTransformer {onnxLatency:F1}; ratio ours / OnnxTransformer x{oursLatency / onnxLatency:F2} (target <= 1.0)");
        return 0;
    }

    private static double Rate(int count, Action pass)
    {
        pass();
        var times = new double[Repetitions];
        for (int i = 0; i < Repetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            pass();
            times[i] = watch.Elapsed.TotalSeconds;
        }

        return count / times.Order().ElementAt(Repetitions / 2);
    }

    private static double Latency(PredictionEngine<ImageRow, ScoreRow> engine, ImageRow[] inputs)
    {
        var output = new ScoreRow();
        foreach (var input in inputs.Take(200))
        {
            engine.Predict(input, ref output);
        }

        var times = new double[Repetitions];
        for (int r = 0; r < Repetitions; r++)
        {
            var watch = Stopwatch.StartNew();
            foreach (var input in inputs)
            {
                engine.Predict(input, ref output);
            }

            times[r] = watch.Elapsed.TotalMicroseconds / inputs.Length;
        }

        return times.Order().ElementAt(Repetitions / 2);
    }

    private static void Drain(IDataView scored)
    {
        var score = scored.Schema["Score"];
        using var cursor = scored.GetRowCursor([score]);
        var getter = cursor.GetGetter<VBuffer<float>>(score);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
        }
    }

    private static void RunSession(InferenceSession session, float[][] rows, int batch)
    {
        var buffer = new float[batch * 784];
        for (int start = 0; start < rows.Length; start += batch)
        {
            int count = Math.Min(batch, rows.Length - start);
            for (int i = 0; i < count; i++)
            {
                rows[start + i].CopyTo(buffer, i * 784);
            }

            var input = new DenseTensor<float>(buffer.AsMemory(0, count * 784), [count, 784]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxModel.InputName, input)]);
            _ = results[0].AsTensor<float>();
        }
    }

    private static float[][] ReadFeatures(IDataView data)
    {
        var column = data.Schema["Features"];
        var rows = new List<float[]>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value.DenseValues().ToArray());
        }

        return [.. rows];
    }

    private static string Cpu()
    {
        var lines = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        string model = lines.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        bool avx512 = lines.Any(l => l.StartsWith("flags", StringComparison.Ordinal) && l.Contains(" avx512f", StringComparison.Ordinal));
        return $"{model}, {(avx512 ? "AVX-512F" : "no AVX-512F")}";
    }

    private sealed class ImageRow
    {
        [VectorType(784)]
        public float[] Features { get; set; } = [];
    }

    private sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }
}
