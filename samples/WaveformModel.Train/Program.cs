// The training half of a Model Builder-style pair (samples/WaveformModel.Consume is the other): build the pipeline,
// fit it, evaluate it on held-out rows, retrain on all rows and save the ML.NET model.
//
//   dotnet run -c Release --project samples/WaveformModel.Train -- [waveform.csv] [waveform.model.zip]
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;
using WaveformModel;

string dataPath = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "waveform.csv");
string modelPath = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "waveform.model.zip");
if (!File.Exists(dataPath))
{
    // Breiman's waveform data, generated: 21 noisy measurements of one of three waves.
    var generated = WaveformGenerator.Generate(3000, seed: 1);
    File.WriteAllLines(dataPath, Enumerable.Range(0, generated.Count).Select(i =>
        string.Join(",", generated.GetSample(i).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + ",wave" + generated.Labels[i]));
}

var ml = new MLContext(seed: 1);
var data = ml.Data.LoadFromTextFile<ModelInput>(dataPath, separatorChar: ',');
var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

var model = RetrainPipeline(ml, split.TrainSet);
var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
Console.WriteLine($"held-out accuracy {metrics.MicroAccuracy:P2}, log-loss {metrics.LogLoss:F3}");
var pruned = ((IEnumerable<ITransformer>)model).OfType<NeuralNetworkTransformer>().Last();
Console.WriteLine($"parameters {pruned.Report.Baseline.Parameters:N0} -> {pruned.Report.Final.Parameters:N0}");

model = RetrainPipeline(ml, data);
ml.Model.SaveAtomic(model, data.Schema, modelPath);
Console.WriteLine($"saved {modelPath}");

// The pipeline: ML.NET featurization, a neural network trained here, APoZ pruning within half a point, fine-tuning.
static IEstimator<ITransformer> BuildPipeline(MLContext ml)
{
    var architecture = new NetworkBuilder(21).Dense(64).Relu().Dense(64).Relu().Dense(3).Build(seed: 1);
    return ml.Transforms.Concatenate("Features", nameof(ModelInput.Values))
        .Append(ml.Transforms.NormalizeMeanVariance("Features"))
        .Append(ml.Transforms.Conversion.MapValueToKey("Label", nameof(ModelInput.Kind)))
        .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(architecture, new NeuralNetworkTrainerOptions { Epochs = 20, LearningRate = 3e-3, BatchSize = 32 }))
        .AppendCacheCheckpoint(ml)
        .Append(ml.Pruning().Apoz(new ApozPruningOptions { Rate = 0.5, MaximumAccuracyDrop = 0.005, Epochs = 3, BatchSize = 32 }))
        .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
}

static ITransformer RetrainPipeline(MLContext ml, IDataView trainData) => BuildPipeline(ml).Fit(trainData);
