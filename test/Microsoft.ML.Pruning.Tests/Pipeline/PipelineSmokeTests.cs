using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Pipeline;

[TestClass]
public sealed class PipelineSmokeTests
{
    [TestMethod]
    public void AnOrdinaryPipeline_TrainsPrunesEvaluatesAndPredicts()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(WaveformRow.Generate(600, seed: 1));
        var test = ml.Data.LoadFromEnumerable(WaveformRow.Generate(300, seed: 2));
        var architecture = new NetworkBuilder(21).Dense(32).Relu().Dense(3).Build(seed: 3);
        var pipeline = ml.Transforms.Concatenate("Features", "Values")
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", "Kind"))
            .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(architecture, epochs: 5))
            .AppendCacheCheckpoint(ml)
            .Append(ml.Pruning().Apoz(new Stages.ApozPruningOptions { Rate = 0.5, MaximumAccuracyDrop = 0.05 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(train);
        var scored = model.Transform(test);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Console.WriteLine($"accuracy {metrics.MicroAccuracy:P2}");
        foreach (var c in scored.Schema) Console.WriteLine($"{c.Name} {c.Type} [{string.Join(",", c.Annotations.Schema.Select(a => a.Name))}]");
        var engine = ml.Model.CreatePredictionEngine<WaveformRow, WavePrediction>(model);
        var p = engine.Predict(WaveformRow.Generate(1, seed: 9)[0]);
        Console.WriteLine($"{p.PredictedLabel} {string.Join(",", p.Score)}");
        var last = model.LastTransformer;
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.Load(stream, out var schema);
        var m2 = ml.MulticlassClassification.Evaluate(loaded.Transform(test));
        Console.WriteLine($"loaded accuracy {m2.MicroAccuracy:P2}");
        foreach (var c in loaded.Transform(test).Schema) Console.WriteLine($"{c.Name} {c.Type}");
        Assert.IsTrue(metrics.MicroAccuracy > 0.7);
    }
}
