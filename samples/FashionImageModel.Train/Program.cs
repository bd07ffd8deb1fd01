// The training half of a Model Builder-style image pair (samples/FashionImageModel.Consume is the other). ML.NET's
// pretrained ResNet18 (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18) gets a new 10-class head and learns the
// Fashion-MNIST PNG folders: the head alone first, then the whole network; first-order Taylor pruning then removes
// filters through every residual block, with fine-tuning between steps, to at most half the multiply-adds; a last
// fine-tuning, Evaluate on the test folder, and mlContext.Model.Save. The images are resized to 32x32: Fashion-MNIST's
// own are 28x28, so nothing is lost, and two cores train it in minutes (224x224 costs 49 times the multiply-adds).
// The model stage trains the head alone (it can also go on to train the whole network: Epochs above HeadOnlyEpochs);
// here a fine-tuning stage does that at a tenth of the learning rate, which keeps the pretrained features.
//
//   bash build/setup.d/fashion-mnist-png.sh
//   dotnet run -c Release --project samples/FashionImageModel.Train -- [--data FOLDER] [--model FILE] [--size N] [--compare] [--from-scratch]
//
// --data: a folder with train/ and test/ class folders (default build/data/fashion-mnist-png: 3,000 and 1,000 PNGs).
// --compare: also run ML.NET's own route on the same images (DnnFeaturizeImage with ResNet18 at 224x224, then
// SdcaMaximumEntropy) and print its accuracy, latency and zip size beside ours. --from-scratch: also train the same
// network from random weights with the same epochs, pruning and fine-tuning, to show what pretraining buys.
using System.Diagnostics;
using FashionImageModel;
using Microsoft.ML;
using Microsoft.ML.Pruning.Stages;

var options = SampleOptions.Parse(args);
var watch = Stopwatch.StartNew();
var ml = new MLContext(seed: 1);
var trainRows = ModelInput.ReadFolder(Path.Combine(options.Data, "train"));
var testRows = ModelInput.ReadFolder(Path.Combine(options.Data, "test"));
var train = ml.Data.LoadFromEnumerable(trainRows);
var test = ml.Data.LoadFromEnumerable(testRows);
Console.WriteLine($"{trainRows.Length:N0} training and {testRows.Length:N0} test images from {options.Data}, resized to {options.Size}x{options.Size}; {Environment.ProcessorCount} cores");

var results = new List<RunResult>();
var model = RetrainPipeline(ml, train, options, fromScratch: false);
results.Add(Measurements.Measure(ml, "ResNet18, fine-tuned and pruned (this library)", model, train.Schema, test, testRows, options, options.ModelPath));
if (options.FromScratch)
{
    var scratch = RetrainPipeline(ml, train, options, fromScratch: true);
    results.Add(Measurements.Measure(ml, "same network from random weights", scratch, train.Schema, test, testRows, options, Path.ChangeExtension(options.ModelPath, ".scratch.zip")));
}

if (options.Compare)
{
    results.Add(MlNetRoute.Run(ml, train, test, testRows, Path.ChangeExtension(options.ModelPath, ".mlnet.zip")));
}

Measurements.PrintTable(results);
Console.WriteLine($"saved {options.ModelPath}; {watch.Elapsed.TotalMinutes:F1} minutes in all");

// The pipeline: images to pixels as ML.NET reads them; ResNet18 with a new head trained alone (the backbone frozen);
// the whole network fine-tuned at a tenth of the rate; Taylor pruning to at most half the multiply-adds with
// fine-tuning between steps; a last fine-tuning. From scratch: the same, from random weights, every layer trained.
static IEstimator<ITransformer> BuildPipeline(MLContext ml, SampleOptions options, bool fromScratch)
{
    var progress = new Progress<Microsoft.ML.Pruning.Loop.PruningProgress>(p => Console.WriteLine($"  {p.Phase}: {p.Message}"));
    var adapt = new PretrainedNetworkOptions
    {
        Head = new Microsoft.ML.Pruning.Workflow.ClassifierHead(),
        // ML.NET's own preprocessing for this model (RGB to BGR, minus the ImageNet mean), folded into the saved network.
        InputNormalization = Microsoft.ML.Pruning.Workflow.ImageNormalization.FromOnnx(ResNet18Files.Preprocess),
        Epochs = 2,
        HeadOnlyEpochs = fromScratch ? 0 : 2,
        // The pretrained BatchNorm layers stay as they are in every stage (they normalise with their ImageNet statistics):
        // at 32x32 the last blocks' maps are 1x1, and batch statistics of 32 such values would replace them by noise.
        FrozenLayers = fromScratch ? null : ResNet18Files.BatchNormLayers(),
        LearningRate = 1e-3,
        BatchSize = 32,
        MeasureLatency = true,
        Progress = progress,
    };
    var model = fromScratch
        ? ml.Pruning().FromNetwork(ResNet18Files.RandomlyInitialized(seed: 1), adapt)
        : ml.Pruning().LoadOnnxModel(ResNet18Files.Model, adapt);
    var taylor = ml.Pruning().Taylor(new TaylorPruningOptions
    {
        MaximumAccuracyDrop = 0.03,
        CalibrationSamples = 512,
        // Filter counts in multiples of 16: ONNX Runtime's blocked (NCHWc) convolutions, which ML.NET's OnnxTransformer runs
        // the saved model with, take channels in blocks of 8 (AVX2) or 16 (AVX-512); other counts fall back to slower kernels.
        RoundTo = 16,
        Epochs = 1,
        LearningRate = 1e-4,
        BatchSize = 32,
        MeasureLatency = true,
        Progress = progress,
    });
    FineTuningOptions FineTuning(int epochs) => new() { Epochs = epochs, LearningRate = 1e-4, BatchSize = 32, MeasureLatency = true, Progress = progress };
    return ml.Transforms.Conversion.MapValueToKey("Label")
        .Append(ml.Transforms.LoadImages("Image", imageFolder: null, nameof(ModelInput.ImagePath)))
        .Append(ml.Transforms.ResizeImages("Image", options.Size, options.Size))
        .Append(ml.Transforms.ExtractPixels("Features", "Image"))
        .AppendCacheCheckpoint(ml)
        .Append(model)
        .Append(ml.Pruning().FineTune(FineTuning(epochs: 2)))
        // Two steps to 45 % of the filters of every group: about 0.55² of the multiply-adds and parameters remain.
        .Append(ml.Pruning().Polynomial(taylor, finalSparsity: 0.45, steps: 2))
        .Append(ml.Pruning().FineTune(FineTuning(epochs: 3)))
        .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
}

static ITransformer RetrainPipeline(MLContext ml, IDataView trainData, SampleOptions options, bool fromScratch)
{
    var watch = Stopwatch.StartNew();
    var model = BuildPipeline(ml, options, fromScratch).Fit(trainData);
    Console.WriteLine($"fitted in {watch.Elapsed.TotalMinutes:F1} minutes");
    return model;
}
