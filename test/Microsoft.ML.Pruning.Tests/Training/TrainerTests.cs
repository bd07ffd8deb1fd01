using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Training;

[TestClass]
public sealed class TrainerTests
{
    [TestMethod]
    public void Fit_WaveformMlp_LearnsWellAboveChance()
    {
        var (train, test) = Waveform(1500, 600);
        var network = new NetworkBuilder(21).Dense(32).Relu().Dense(3).Build(seed: 1);
        var result = new Trainer(new TrainerOptions { Epochs = 8, BatchSize = 32, Seed = 1 }).Fit(network, train, test);

        // Bayes accuracy on waveform is about 86%; a small MLP reaches about 80% or more.
        Assert.IsTrue(result.BestAccuracy > 0.78f, $"best accuracy {result.BestAccuracy}");
        Assert.AreEqual(result.BestAccuracy, Evaluator.Evaluate(network, test).Accuracy, 1e-6, "the network ends with the best epoch's weights");
    }

    [TestMethod]
    public void Fit_SameSeedAndThreads_GivesBitIdenticalWeights()
    {
        var (train, _) = Waveform(600, 10);
        float[] Run()
        {
            var network = new NetworkBuilder(21).Dense(16).BatchNorm().Relu().Dropout(0.2f).Dense(3).Build(seed: 3);
            new Trainer(new TrainerOptions { Epochs = 2, BatchSize = 50, Seed = 5, Optimizer = new SgdOptimizer(0.05f, 0.9f) }).Fit(network, train);
            return network.State.SelectMany(p => p.Value.Span.ToArray()).ToArray();
        }

        CollectionAssert.AreEqual(Run(), Run());
    }

    [TestMethod]
    public void Fit_ConvolutionalNetworkTwoThreads_IsDeterministic()
    {
        var random = new Random(2);
        var features = new float[64 * 1 * 8 * 8];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = random.NextSingle();
        }

        var data = Dataset.FromArray(features, [1, 8, 8], Enumerable.Range(0, 64).Select(i => i % 2).ToArray());
        int saved = ComputeSettings.DegreeOfParallelism;
        try
        {
            ComputeSettings.DegreeOfParallelism = 2;
            float[] Run()
            {
                var network = new NetworkBuilder(1, 8, 8).Conv2d(4, 3, padding: 1).Relu().MaxPool2d(2).Flatten().Dense(2).Build(seed: 1);
                new Trainer(new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 1 }).Fit(network, data);
                return network.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();
            }

            CollectionAssert.AreEqual(Run(), Run());
        }
        finally
        {
            ComputeSettings.DegreeOfParallelism = saved;
        }
    }

    [TestMethod]
    public void Fit_NoImprovementWithinPatience_StopsEarly()
    {
        var (train, test) = Waveform(300, 100);
        var network = new NetworkBuilder(21).Dense(3).Build(seed: 1);
        var options = new TrainerOptions { Epochs = 20, Patience = 2, MinimumImprovement = 0.9f, Seed = 1 };
        var result = new Trainer(options).Fit(network, train, test);
        Assert.IsTrue(result.StoppedEarly);
        Assert.AreEqual(3, result.History.Count, "the first epoch sets the best, the next two fail to beat it by 0.9");
        Assert.AreEqual(0, result.BestEpoch);
    }

    [TestMethod]
    public void Fit_CancelledAfterFirstEpoch_ReturnsBestWeightsSoFar()
    {
        var (train, test) = Waveform(400, 200);
        var network = new NetworkBuilder(21).Dense(8).Relu().Dense(3).Build(seed: 1);
        using var cancellation = new CancellationTokenSource();
        NetworkCheckpoint? afterFirstEpoch = null;
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.CompletedEpoch is not null)
            {
                afterFirstEpoch = NetworkCheckpoint.Capture(network);
                cancellation.Cancel();
            }
        });

        var result = new Trainer(new TrainerOptions { Epochs = 5, BatchSize = 20 }).Fit(network, train, test, progress, cancellation.Token);

        Assert.IsTrue(result.Cancelled);
        Assert.AreEqual(1, result.History.Count);
        var expected = NetworkBuilder_Copy(network, afterFirstEpoch!);
        CollectionAssert.AreEqual(expected, network.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray());
    }

    [TestMethod]
    public void Fit_ReportsProgressForEveryBatchAndEpoch()
    {
        var (train, _) = Waveform(100, 10);
        var network = new NetworkBuilder(21).Dense(3).Build();
        var reports = new List<TrainingProgress>();
        new Trainer(new TrainerOptions { Epochs = 2, BatchSize = 30 }).Fit(network, train, progress: new SynchronousProgress<TrainingProgress>(reports.Add));
        Assert.AreEqual(2 * (4 + 1), reports.Count, "4 batches and one epoch report per epoch");
        Assert.AreEqual(4, reports[0].BatchesPerEpoch);
        Assert.IsNotNull(reports[4].CompletedEpoch);
    }

    [TestMethod]
    public void Fit_DataOfWrongShape_ThrowsNamingBothShapes()
    {
        var (train, _) = Waveform(50, 10);
        var network = new NetworkBuilder(40).Dense(3).Build();
        var error = Assert.ThrowsException<ArgumentException>(() => new Trainer().Fit(network, train));
        StringAssert.Contains(error.Message, "[21]");
        StringAssert.Contains(error.Message, "[40]");
    }

    [TestMethod]
    public void Constructor_InvalidOption_ThrowsNamingTheOption()
    {
        var error = Assert.ThrowsException<ArgumentOutOfRangeException>(() => new Trainer(new TrainerOptions { BatchSize = 0 }));
        Assert.AreEqual("BatchSize", error.ParamName);
        StringAssert.Contains(error.Message, "TrainerOptions.BatchSize must be at least 1");
    }

    private static float[] NetworkBuilder_Copy(Network network, NetworkCheckpoint checkpoint)
    {
        var copy = NetworkSerializer.Clone(network);
        checkpoint.Restore(copy);
        return copy.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();
    }

    private static (Dataset Train, Dataset Test) Waveform(int train, int test) =>
        (WaveformGenerator.Generate(train, seed: 11), WaveformGenerator.Generate(test, seed: 12));

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
