// Fine-tunes a pruned network through TorchSharp: CUDA device 0 when there is one, the CPU otherwise.
// One ML.NET pipeline trains an MLP on Breiman's waveform data (generated in-process), prunes half its hidden units by
// APoZ within a 2-point budget, and fine-tunes; every training step runs on the TorchSharp backend.
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.TorchSharp;

var ml = new MLContext(seed: 1) { GpuDeviceId = 0, FallbackToCpu = true };
var backend = new TorchSharpBackend(ml);
Console.WriteLine($"training on {backend.Name}");

var train = ml.Data.LoadFromEnumerable(WaveRow.Generate(5000, seed: 1));
var test = ml.Data.LoadFromEnumerable(WaveRow.Generate(5000, seed: 2));
var architecture = new NetworkBuilder(21).Dense(256).Relu().Dense(128).Relu().Dense(3).Build(seed: 1);
var pipeline = ml.Transforms.Concatenate("Features", nameof(WaveRow.Values))
    .Append(ml.Transforms.NormalizeMeanVariance("Features"))
    .Append(ml.Transforms.Conversion.MapValueToKey("Label", nameof(WaveRow.Kind)))
    .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(architecture, new NeuralNetworkTrainerOptions { Epochs = 10, Backend = backend }))
    .Append(ml.Pruning().Apoz(new ApozPruningOptions { Rate = 0.5, MaximumAccuracyDrop = 0.02, Epochs = 2, Backend = backend }))
    .Append(ml.Pruning().FineTune(new FineTuningOptions { Epochs = 3, Backend = backend }));
var model = pipeline.Fit(train);
var pruned = (NeuralNetworkTransformer)model.LastTransformer;
Console.WriteLine(pruned.Report.ToTable());
Console.WriteLine($"test accuracy: {ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy:P2}");

/// <summary>A waveform row as an ML.NET user holds it: 21 measurements and a class name.</summary>
internal sealed class WaveRow
{
    /// <summary>Gets or sets the measurements.</summary>
    [VectorType(WaveformGenerator.AttributeCount)]
    public float[] Values { get; set; } = [];

    /// <summary>Gets or sets the class name.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Generates rows from Breiman's generator.</summary>
    public static WaveRow[] Generate(int count, int seed)
    {
        var data = WaveformGenerator.Generate(count, seed);
        return Enumerable.Range(0, data.Count).Select(i => new WaveRow { Values = data.GetSample(i).ToArray(), Kind = "wave" + data.Labels[i] }).ToArray();
    }
}
