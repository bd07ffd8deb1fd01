// Fits a small model, then saves it with mlContext.Model.SaveAtomic while ONNX Runtime's native library is absent:
// prints the error and whether anything was left at the target. Exit code 0 when the error names the package and
// nothing was written.
using Microsoft.ML;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;

var ml = new MLContext(seed: 1);
var (train, _) = ml.Data.LoadFashionMnist();
var small = ml.Data.TakeRows(train, 1000);
var model = ml.MulticlassClassification.Trainers.NeuralNetwork(new NetworkBuilder(784).Dense(16).Relu().Dense(10).Build(seed: 1), epochs: 1).Fit(small);
try
{
    ml.Model.SaveAtomic(model, train.Schema, "model.zip");
    Console.WriteLine("no-native: saved without ONNX Runtime's native library?");
    return 1;
}
catch (InvalidOperationException e)
{
    bool left = Directory.EnumerateFileSystemEntries(".").Any(p => Path.GetFileName(p).Contains("model.zip", StringComparison.Ordinal));
    Console.WriteLine($"no-native: SaveAtomic failed: {e.Message}");
    Console.WriteLine($"no-native: anything left at model.zip: {(left ? "yes" : "no")}");
    return e.Message.Contains("Add the package Microsoft.ML.OnnxRuntime", StringComparison.Ordinal) && !left ? 0 : 1;
}
