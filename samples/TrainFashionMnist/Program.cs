// Trains a network on Fashion-MNIST with the pure-.NET engine and prints accuracy and throughput.
//
//   dotnet run -c Release --project samples/TrainFashionMnist -- [--model mlp|mlp-seed|lenet5] [--epochs 3]
//       [--threads N] [--batch 128] [--seed 1] [--data /usr/share/datasets/fashion-mnist]
using System.Diagnostics;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;

var options = SampleOptions.Parse(args);
ComputeSettings.DegreeOfParallelism = options.Threads;

// 1. Load the data (Debian's dataset-fashion-mnist; build/setup.sh installs it).
var (train, test) = IdxLoader.LoadFashionMnist(options.DataDirectory);
bool convolutional = options.Model == "lenet5";
if (!convolutional)
{
    train = train.Flatten();
    test = test.Flatten();
}

// 2. Describe the network.
var network = options.Model switch
{
    "mlp" => new NetworkBuilder(784).Dense(300).Relu().Dense(100).Relu().Dense(10).Build(options.Seed),
    "mlp-seed" => new NetworkBuilder(784).Dense(550).Relu().Dense(375).Relu().Dense(375).Relu().Dense(375).Relu().Dense(375).Relu().Dense(10).Build(options.Seed),
    "lenet5" => new NetworkBuilder(1, 28, 28)
        .Conv2d(6, 5, padding: 2).Relu().MaxPool2d(2)
        .Conv2d(16, 5).Relu().MaxPool2d(2)
        .Flatten().Dense(120).Relu().Dense(84).Relu().Dense(10).Build(options.Seed),
    _ => throw new ArgumentException($"Unknown model '{options.Model}'; use mlp, mlp-seed or lenet5."),
};
Console.WriteLine($"{options.Model}: {network}");
Console.WriteLine($"data: {train.Count:N0} training and {test.Count:N0} test images; threads: {options.Threads}; batch: {options.BatchSize}");

// 3. Train, evaluating on the test set after each epoch.
var trainer = new Trainer(new TrainerOptions
{
    Epochs = options.Epochs,
    BatchSize = options.BatchSize,
    Seed = options.Seed,
    Optimizer = new AdamOptimizer(learningRate: 1e-3f),
    KeepBestCheckpoint = false,
});
var progress = new Progress<TrainingProgress>(p =>
{
    if (p.CompletedEpoch is { } e)
    {
        Console.WriteLine($"epoch {e.Epoch + 1}: loss {e.TrainingLoss:F4}  train accuracy {e.TrainingAccuracy:P2}  test accuracy {e.ValidationAccuracy:P2}  {e.SamplesPerSecond:N0} images/s");
    }
});
var result = trainer.Fit(network, train, test, progress);

// 4. Evaluate and report.
var final = Evaluator.Evaluate(network, test);
double imagesPerSecond = result.History.Sum(e => train.Count) / result.History.Sum(e => e.Seconds);
var inference = Stopwatch.StartNew();
Evaluator.Evaluate(network, test);
Console.WriteLine($"test accuracy after {result.History.Count} epochs: {final.Accuracy:P2} (loss {final.Loss:F4})");
Console.WriteLine($"training throughput: {imagesPerSecond:N0} images/s; inference: {test.Count / inference.Elapsed.TotalSeconds:N0} images/s");

// 5. Save the trained network in the native format.
string path = Path.Combine(Path.GetTempPath(), $"fashion-mnist-{options.Model}.mlnp");
NetworkSerializer.Save(network, path);
Console.WriteLine($"saved: {path}");

internal sealed record SampleOptions(string Model, int Epochs, int Threads, int BatchSize, int Seed, string DataDirectory)
{
    public static SampleOptions Parse(string[] args)
    {
        var options = new SampleOptions("mlp", 3, Environment.ProcessorCount, 128, 1, "/usr/share/datasets/fashion-mnist");
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            options = args[i] switch
            {
                "--model" => options with { Model = args[i + 1] },
                "--epochs" => options with { Epochs = int.Parse(args[i + 1]) },
                "--threads" => options with { Threads = int.Parse(args[i + 1]) },
                "--batch" => options with { BatchSize = int.Parse(args[i + 1]) },
                "--seed" => options with { Seed = int.Parse(args[i + 1]) },
                "--data" => options with { DataDirectory = args[i + 1] },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return options;
    }
}
