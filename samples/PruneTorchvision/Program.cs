// Prunes a torchvision model end to end: import the ONNX file PyTorch exported, calibrate and prune half of every
// prunable group by first-order Taylor importance, fine-tune briefly, export the smaller model as ONNX, print the report.
//
// The model is torchvision's mobilenet_v2 (random weights, randomized BatchNorm statistics) that
// build/setup.d/torchvision.sh exports to build/data/torchvision; pass another .onnx path as the first argument.
// The data is synthetic (no image data set ships with Debian at this size): 3x64x64 images of noise with one bright
// square whose position (one of 10 cells) is the class, so the numbers show the mechanics, not a real accuracy.
//
//   dotnet run -c Release --project samples/PruneTorchvision [-- model.onnx [output.onnx]]
using Microsoft.ML;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Stages;

string model = args.Length > 0 ? args[0] : "build/data/torchvision/mobilenet_v2_opset13.onnx";
string output = args.Length > 1 ? args[1] : "build/data/mobilenet_v2.pruned.onnx";
if (!File.Exists(model))
{
    Console.Error.WriteLine($"{model} does not exist; run bash build/setup.d/torchvision.sh first.");
    return 1;
}

var ml = new MLContext(seed: 1);
var train = ml.Data.LoadFromDataset(SyntheticSquares(count: 192, seed: 1));
var test = ml.Data.LoadFromDataset(SyntheticSquares(count: 64, seed: 2));

// Random weights give chance accuracy, so the budget allows any drop here; with a trained model keep the default.
var prune = ml.Pruning().Taylor(new TaylorPruningOptions { Rate = 0.5, MaximumAccuracyDrop = 1, CalibrationSamples = 32, Epochs = 0, BatchSize = 32 });
var fineTune = ml.Pruning().FineTune(new FineTuningOptions { Epochs = 1, BatchSize = 32 });
var pipeline = ml.Pruning().LoadOnnxModel(model).Append(prune).Append(fineTune);
var fitted = pipeline.Fit(train);
var pruned = (NeuralNetworkTransformer)fitted.LastTransformer;

// The table ends with the groups that could not be pruned (the classifier, channel shuffles, ...) and why.
Console.WriteLine(pruned.Report.ToTable());
double accuracy = ml.MulticlassClassification.Evaluate(fitted.Transform(test)).MicroAccuracy;
Console.WriteLine($"test accuracy after fine-tuning: {accuracy:P2} (10 synthetic classes, chance 10 %)");
pruned.SaveOnnx(output);
Console.WriteLine($"saved {output} ({new FileInfo(output).Length:N0} bytes)");
return 0;

// Noise in [-0.5, 0.5) with a square of 1.5 at the class's cell of a 5x2 grid, in all three channels.
static Dataset SyntheticSquares(int count, int seed)
{
    const int Size = 64, Square = 10;
    var random = new Random(seed);
    var features = new float[count * 3 * Size * Size];
    var labels = new int[count];
    for (int i = 0; i < count; i++)
    {
        int label = labels[i] = i % 10;
        int top = 4 + ((label / 5) * 30), left = 2 + ((label % 5) * 12);
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < Size; y++)
            {
                for (int x = 0; x < Size; x++)
                {
                    bool inside = y >= top && y < top + Square && x >= left && x < left + Square;
                    features[(((i * 3) + c) * Size * Size) + (y * Size) + x] = inside ? 1.5f : random.NextSingle() - 0.5f;
                }
            }
        }
    }

    // The model has 1000 outputs (ImageNet classes); the synthetic classes are its first 10.
    return Dataset.FromArray(features, [3, Size, Size], labels, classCount: 1000);
}
