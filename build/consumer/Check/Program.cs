// Check <model.zip> <model.onnx> <scores.out> [rows]
//
// Loads an ML.NET model saved by App (ml.Model.Load, a fresh process), scores the first Fashion-MNIST test images,
// and compares each Score with ONNX Runtime on the exported ONNX model (softmax of its logits, in double) within
// 1e-5. Writes the scores, one row per line, to <scores.out>, and prints the ML.NET and ONNX Runtime versions, the
// largest difference, the accuracy, and single-prediction latency of the whole loaded chain against its last
// element alone (the one-network chain), alternating the two round by round (wall and the thread's CPU time).
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

string zip = args[0], onnx = args[1], output = args[2];
int rows = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2000;
var ml = new MLContext(seed: 0);
var (_, test) = ml.Data.LoadFashionMnist();
var model = ml.Model.Load(zip, out _);
var scored = model.Transform(ml.Data.TakeRows(test, rows));

var features = new List<float[]>();
var scores = new List<float[]>();
var labels = new List<uint>();
using (var cursor = scored.GetRowCursor(scored.Schema))
{
    var getFeatures = cursor.GetGetter<VBuffer<float>>(scored.Schema["Features"]);
    var getScore = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
    var getLabel = cursor.GetGetter<uint>(scored.Schema["Label"]);
    VBuffer<float> f = default, s = default;
    uint label = 0;
    while (cursor.MoveNext())
    {
        getFeatures(ref f);
        getScore(ref s);
        getLabel(ref label);
        features.Add(f.DenseValues().ToArray());
        scores.Add(s.DenseValues().ToArray());
        labels.Add(label);
    }
}

using var session = new InferenceSession(onnx);
int width = features[0].Length;
var batch = new DenseTensor<float>(features.SelectMany(f => f).ToArray(), [features.Count, width]);
using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), batch)]);
var logits = results.Single().AsTensor<float>();
double largest = 0;
int correct = 0;
for (int row = 0; row < scores.Count; row++)
{
    int classes = scores[row].Length;
    double max = Enumerable.Range(0, classes).Max(c => (double)logits[row, c]);
    double sum = Enumerable.Range(0, classes).Sum(c => Math.Exp(logits[row, c] - max));
    for (int c = 0; c < classes; c++)
    {
        largest = Math.Max(largest, Math.Abs(scores[row][c] - Math.Exp(logits[row, c] - max) / sum));
    }

    correct += Array.IndexOf(scores[row], scores[row].Max()) + 1 == labels[row] ? 1 : 0;
}

File.WriteAllLines(output, scores.Select(s => string.Join(" ", s.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
string Version(Type type) => type.Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
    .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion.Split('+')[0];
Console.WriteLine($"check: {Path.GetFileName(zip)} loaded with Microsoft.ML {Version(typeof(MLContext))}, ONNX Runtime {Version(typeof(InferenceSession))}: " +
    $"{scores.Count} rows, largest |Score - ONNX Runtime softmax| {largest:E2}, accuracy {100.0 * correct / scores.Count:F2} %");

var chain = (TransformerChain<ITransformer>)model;
var last = chain.Last();
var (whole, single) = Latency(ml, chain, last, test);
Console.WriteLine($"check: single-prediction latency (PredictionEngine, median of 11 alternating rounds of 2,000; wall / thread CPU): " +
    $"whole loaded chain ({chain.Count()} transformers) {whole.Wall:F1} / {whole.Cpu:F1} us, its last transformer alone (one network) " +
    $"{single.Wall:F1} / {single.Cpu:F1} us, wall ratio {whole.Wall / single.Wall:F2}; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
if (largest > 1e-5)
{
    Console.Error.WriteLine("check: FAILED: the loaded model's scores differ from ONNX Runtime's by more than 1e-5");
    return 1;
}

return 0;

static ((double Wall, double Cpu) Whole, (double Wall, double Cpu) Single) Latency(MLContext ml, ITransformer whole, ITransformer single, IDataView test)
{
    var inputs = ml.Data.CreateEnumerable<Image>(ml.Data.TakeRows(test, 2000), reuseRowObject: false).ToArray();
    var engines = new[] { ml.Model.CreatePredictionEngine<Image, Prediction>(whole), ml.Model.CreatePredictionEngine<Image, Prediction>(single) };
    var wall = new[] { new List<double>(), new List<double>() };
    var cpu = new[] { new List<double>(), new List<double>() };
    for (int round = 0; round < 12; round++)
    {
        for (int e = 0; e < 2; e++)
        {
            long cpuBefore = ThreadCpuNanoseconds();
            var watch = Stopwatch.StartNew();
            foreach (var image in inputs)
            {
                engines[e].Predict(image);
            }

            watch.Stop();
            if (round > 0)
            {
                wall[e].Add(watch.Elapsed.TotalMicroseconds / inputs.Length);
                cpu[e].Add((ThreadCpuNanoseconds() - cpuBefore) / 1000.0 / inputs.Length);
            }
        }
    }

    return ((Median(wall[0]), Median(cpu[0])), (Median(wall[1]), Median(cpu[1])));
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

// The calling thread's CPU time (Linux: /proc/thread-self/schedstat, nanoseconds on the CPU); 0 elsewhere.
static long ThreadCpuNanoseconds() =>
    File.Exists("/proc/thread-self/schedstat") ? long.Parse(File.ReadAllText("/proc/thread-self/schedstat").Split(' ')[0], CultureInfo.InvariantCulture) : 0;

/// <summary>A Fashion-MNIST image as the data view holds it.</summary>
internal sealed class Image
{
    [VectorType(784)]
    public float[] Features { get; set; } = [];
}

/// <summary>What a prediction reads.</summary>
internal sealed class Prediction
{
    public float[] Score { get; set; } = [];
}
