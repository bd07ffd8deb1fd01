using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.TorchSharp.Tests;

[TestClass]
public sealed class EndToEndTests
{
    [TestMethod]
    public void AnApozPipelineFineTunedOnTorchSharpEndsWithinHalfAPointOfTheManagedBackend()
    {
        var (managedAccuracy, managedParameters) = Run(backend: null);
        var (torchAccuracy, torchParameters) = Run(new TorchSharpBackend(new MLContext(seed: 1)));
        Console.WriteLine($"test accuracy: managed {managedAccuracy:P2}, TorchSharp {torchAccuracy:P2}; parameters after pruning: {managedParameters} and {torchParameters}");
        Assert.IsTrue(managedAccuracy > 0.8, $"the managed pipeline learned ({managedAccuracy:P2})");
        Assert.AreEqual(managedAccuracy, torchAccuracy, 0.005);
        Assert.IsTrue(torchParameters < new NetworkBuilder(21).Dense(32).Relu().Dense(16).Relu().Dense(3).Build().ParameterCount, "APoZ removed units");
    }

    private static (double Accuracy, long Parameters) Run(ITrainingBackend? backend)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(WaveRow.Generate(1500, seed: 1));
        var test = ml.Data.LoadFromEnumerable(WaveRow.Generate(2000, seed: 2));
        var architecture = new NetworkBuilder(21).Dense(32).Relu().Dense(16).Relu().Dense(3).Build(seed: 3);
        var pipeline = ml.Transforms.Concatenate("Features", nameof(WaveRow.Values))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", nameof(WaveRow.Kind)))
            .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(architecture, new NeuralNetworkTrainerOptions { Epochs = 6, BatchSize = 32, Backend = backend }))
            .Append(ml.Pruning().Apoz(new ApozPruningOptions { Rate = 0.5, MaximumAccuracyDrop = 0.1, Epochs = 2, BatchSize = 32, Backend = backend }))
            .Append(ml.Pruning().FineTune(new FineTuningOptions { Epochs = 2, BatchSize = 32, Backend = backend }));
        var model = pipeline.Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        return (metrics.MicroAccuracy, model.LastTransformer.Network.ParameterCount);
    }

    private sealed class WaveRow
    {
        [VectorType(WaveformGenerator.AttributeCount)]
        public float[] Values { get; set; } = [];

        public string Kind { get; set; } = "";

        public static WaveRow[] Generate(int count, int seed)
        {
            var data = WaveformGenerator.Generate(count, seed);
            return Enumerable.Range(0, data.Count).Select(i => new WaveRow { Values = data.GetSample(i).ToArray(), Kind = "wave" + data.Labels[i] }).ToArray();
        }
    }
}
