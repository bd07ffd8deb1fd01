using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.TorchSharp.Tests;

[TestClass]
public sealed class TrainingParityTests
{
    private const double Tolerance = 1e-4;

    public static IEnumerable<object[]> Optimizers =>
    [
        ["SGD", (Func<Optimizer>)(() => new SgdOptimizer(0.05f))],
        ["SGD with momentum and weight decay", () => new SgdOptimizer(0.05f, momentum: 0.9f, weightDecay: 1e-3f)],
        ["SGD with Nesterov momentum", () => new SgdOptimizer(0.05f, momentum: 0.9f, nesterov: true)],
        ["Adam", () => new AdamOptimizer(1e-3f)],
        ["Adam with weight decay", () => new AdamOptimizer(2e-3f, beta1: 0.8f, beta2: 0.99f, weightDecay: 1e-2f)],
    ];

    public static IEnumerable<object[]> Architectures =>
    [
        ["MLP", (Func<Network>)(() => new NetworkBuilder(12).Dense(16).Relu().Dense(10).Tanh().Dense(3).Build(seed: 4))],
        // Layers feeding a BatchNorm have no bias: its gradient is zero in exact arithmetic, and Adam would turn the two
        // engines' different rounding noise into full-size steps in different directions.
        ["CNN with BatchNorm", () => new NetworkBuilder(1, 8, 8).Conv2d(4, 3, padding: 1, useBias: false).BatchNorm().Relu().MaxPool2d(2)
            .Flatten().Dense(8, useBias: false).BatchNorm().Relu().Dense(3).Build(seed: 4)],
    ];

    public static IEnumerable<object[]> Cases =>
        from optimizer in Optimizers from architecture in Architectures
        select new object[] { $"{architecture[0]}, {optimizer[0]}", architecture[1], optimizer[1] };

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void TwentyStepsGiveTheSameWeightsOnBothBackends(string name, Func<Network> build, Func<Optimizer> optimizer)
    {
        var managed = build();
        var torch = build();
        var data = SyntheticData.Classes(managed.InputShape, count: 160, classes: 3, seed: 7);
        var options = new TrainerOptions { Epochs = 1, BatchSize = 8, Seed = 3 };
        TrainBoth(managed, torch, data, options, optimizer);
        AssertSameState(managed, torch);
    }

    [TestMethod]
    public void ALearningRateScheduleAndReshuffledEpochsGiveTheSameWeights()
    {
        var managed = Architecture();
        var torch = Architecture();
        var data = SyntheticData.Classes(managed.InputShape, count: 40, classes: 3, seed: 8);
        var options = new TrainerOptions { Epochs = 4, BatchSize = 8, Seed = 5, LearningRateSchedule = new StepLearningRate(1, 0.5f), KeepBestCheckpoint = false };
        var (managedResult, torchResult) = TrainBoth(managed, torch, data, options, () => new SgdOptimizer(0.1f, momentum: 0.9f));
        AssertSameState(managed, torch);
        CollectionAssert.AreEqual(managedResult.History.Select(h => h.LearningRate).ToArray(), torchResult.History.Select(h => h.LearningRate).ToArray());
        for (int epoch = 0; epoch < 4; epoch++)
        {
            Assert.AreEqual(managedResult.History[epoch].TrainingLoss, torchResult.History[epoch].TrainingLoss, 1e-4, $"epoch {epoch} loss");
        }
    }

    [TestMethod]
    public void MaskedWeightsStayZeroAndTheRestMatches()
    {
        var managed = Architecture();
        var torch = Architecture();
        foreach (var network in new[] { managed, torch })
        {
            var weight = ((Dense)network.Nodes[0].Layer).Weight;
            var mask = new Tensors.FloatTensor(weight.Value.Shape);
            for (int i = 0; i < mask.Length; i++)
            {
                mask.Span[i] = i % 3 == 0 ? 0 : 1;
            }

            weight.Mask = mask;
        }

        var data = SyntheticData.Classes(managed.InputShape, count: 80, classes: 3, seed: 9);
        TrainBoth(managed, torch, data, new TrainerOptions { Epochs = 2, BatchSize = 8, Seed = 1 }, () => new AdamOptimizer(1e-2f));
        var trained = ((Dense)torch.Nodes[0].Layer).Weight.Value.Span;
        for (int i = 0; i < trained.Length; i += 3)
        {
            Assert.AreEqual(0f, trained[i], $"masked weight {i}");
        }

        AssertSameState(managed, torch);
    }

    [TestMethod]
    public void TheBestEpochIsKeptAndValidationIsMeasuredAsTheManagedTrainerDoes()
    {
        var managed = Architecture();
        var torch = Architecture();
        var data = SyntheticData.Classes(managed.InputShape, count: 64, classes: 3, seed: 10);
        var validation = SyntheticData.Classes(managed.InputShape, count: 30, classes: 3, seed: 11);
        var options = new TrainerOptions { Epochs = 5, BatchSize = 16, Seed = 2 };
        var managedResult = new Trainer(Copy(options, new SgdOptimizer(0.5f, momentum: 0.9f))).Fit(managed, data, validation);
        var torchResult = new Trainer(Copy(options, new SgdOptimizer(0.5f, momentum: 0.9f), new TorchSharpBackend())).Fit(torch, data, validation);
        Assert.AreEqual(managedResult.BestEpoch, torchResult.BestEpoch);
        Assert.AreEqual(managedResult.BestAccuracy, torchResult.BestAccuracy, 1e-6);
        for (int epoch = 0; epoch < managedResult.History.Count; epoch++)
        {
            Assert.AreEqual(managedResult.History[epoch].ValidationLoss, torchResult.History[epoch].ValidationLoss, 1e-4, $"epoch {epoch} validation loss");
        }

        AssertSameState(managed, torch);
        Assert.AreEqual(Evaluator.Evaluate(managed, validation).Accuracy, Evaluator.Evaluate(torch, validation).Accuracy, 1e-6);
    }

    [TestMethod]
    public void EarlyStoppingAndMeasuredTrainingAccuracyFollowTheManagedTrainer()
    {
        var managed = Architecture();
        var torch = Architecture();
        var data = SyntheticData.Classes(managed.InputShape, count: 48, classes: 3, seed: 12);
        var validation = SyntheticData.Classes(managed.InputShape, count: 24, classes: 3, seed: 13);
        TrainerOptions Options(ITrainingBackend? backend) => new()
        {
            Epochs = 30, BatchSize = 16, Seed = 4, Patience = 2, MinimumImprovement = 0.02f, EvaluateTrainingSet = true,
            Optimizer = new SgdOptimizer(0.2f, momentum: 0.9f), Backend = backend,
        };
        var managedResult = new Trainer(Options(null)).Fit(managed, data, validation);
        var torchResult = new Trainer(Options(new TorchSharpBackend())).Fit(torch, data, validation);
        Assert.IsTrue(managedResult.StoppedEarly, "the managed run stops early");
        Assert.AreEqual(managedResult.StoppedEarly, torchResult.StoppedEarly);
        Assert.AreEqual(managedResult.History.Count, torchResult.History.Count, "epochs run");
        CollectionAssert.AreEqual(managedResult.History.Select(h => h.TrainingAccuracy).ToArray(), torchResult.History.Select(h => h.TrainingAccuracy).ToArray());
        AssertSameState(managed, torch);
    }

    internal static Network Architecture() => new NetworkBuilder(12).Dense(16).Relu().Dense(3).Build(seed: 6);

    internal static TrainerOptions Copy(TrainerOptions options, Optimizer optimizer, ITrainingBackend? backend = null) => new()
    {
        Epochs = options.Epochs, BatchSize = options.BatchSize, Seed = options.Seed, Optimizer = optimizer, Backend = backend,
        LearningRateSchedule = options.LearningRateSchedule, KeepBestCheckpoint = options.KeepBestCheckpoint,
    };

    private static (TrainingResult Managed, TrainingResult Torch) TrainBoth(Network managed, Network torch, Dataset data, TrainerOptions options, Func<Optimizer> optimizer)
    {
        var managedResult = new Trainer(Copy(options, optimizer())).Fit(managed, data);
        var torchResult = new Trainer(Copy(options, optimizer(), new TorchSharpBackend())).Fit(torch, data);
        return (managedResult, torchResult);
    }

    internal static void AssertSameState(Network expected, Network actual)
    {
        double worst = 0;
        foreach (var (e, a) in expected.State.Zip(actual.State))
        {
            double scale = 0, difference = 0;
            for (int i = 0; i < e.Length; i++)
            {
                scale = Math.Max(scale, Math.Abs(e.Value.Span[i]));
                difference = Math.Max(difference, Math.Abs(e.Value.Span[i] - a.Value.Span[i]));
            }

            Assert.IsTrue(difference <= Tolerance * Math.Max(scale, 1e-3), $"{e.Name}: largest difference {difference:E3}, largest magnitude {scale:E3}");
            worst = Math.Max(worst, difference / Math.Max(scale, 1e-3));
        }

        Console.WriteLine($"largest difference over the largest magnitude, over every parameter and buffer: {worst:E2}");
    }
}
