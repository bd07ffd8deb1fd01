using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.TorchSharp.Tests;

/// <summary>
/// The two backends run one epoch loop (the trainer's), so the same fit gives the same history on both: the faults that
/// the backend's own copy of the loop had (issue 19, items 1 to 3) are checked here, with their state before the change.
/// </summary>
[TestClass]
public sealed class OneLoopTests
{
    public static IEnumerable<object[]> Fits =>
    [
        // Before: TorchSharp trained this network through a second softmax (first-epoch loss 0.96 against 0.69).
        ["MLP ending in Softmax, SGD with momentum, step schedule, patience",
            (Func<Network>)(() => new NetworkBuilder(12).Dense(16).Relu().Dense(3).Append(new Softmax("softmax")).Build(seed: 4)),
            (Func<TrainerOptions>)(() => new TrainerOptions
            {
                Epochs = 6, BatchSize = 8, Seed = 3, Patience = 2, Optimizer = new SgdOptimizer(0.1f, momentum: 0.9f),
                LearningRateSchedule = new StepLearningRate(2, 0.5f),
            })],
        ["CNN with BatchNorm and dropout, Adam with weight decay, cosine schedule, last epoch kept",
            () => new NetworkBuilder(1, 8, 8).Conv2d(4, 3, padding: 1, useBias: false).BatchNorm().Relu().MaxPool2d(2)
                .Flatten().Dense(8, useBias: false).BatchNorm().Relu().Dense(3).Build(seed: 4),
            () => new TrainerOptions
            {
                Epochs = 4, BatchSize = 16, Seed = 5, KeepBestCheckpoint = false, EvaluateTrainingSet = true,
                Optimizer = new AdamOptimizer(2e-3f, weightDecay: 1e-2f), LearningRateSchedule = new CosineLearningRate(),
            }],
    ];

    [TestMethod]
    [DynamicData(nameof(Fits))]
    public void TheSameFitGivesTheSameHistoryChosenEpochAndWeightsOnBothBackends(string name, Func<Network> build, Func<TrainerOptions> options)
    {
        var managed = build();
        var torch = build();
        var data = SyntheticData.Classes(managed.InputShape, count: 96, classes: 3, seed: 7);
        var validation = SyntheticData.Classes(managed.InputShape, count: 40, classes: 3, seed: 8);

        var expected = new Trainer(options()).Fit(managed, data, validation);
        var torchOptions = options();
        torchOptions.Backend = new TorchSharpBackend();
        var actual = new Trainer(torchOptions).Fit(torch, data, validation);

        Assert.AreEqual(expected.History.Count, actual.History.Count, "epochs run");
        Assert.AreEqual(expected.BestEpoch, actual.BestEpoch, "chosen epoch");
        Assert.AreEqual(expected.StoppedEarly, actual.StoppedEarly);
        for (int epoch = 0; epoch < expected.History.Count; epoch++)
        {
            var (e, a) = (expected.History[epoch], actual.History[epoch]);
            Assert.AreEqual(e.LearningRate, a.LearningRate, $"{name}: epoch {epoch} learning rate");
            Assert.AreEqual(e.TrainingLoss, a.TrainingLoss, 1e-4, $"{name}: epoch {epoch} training loss");
            Assert.AreEqual(e.TrainingAccuracy, a.TrainingAccuracy, 1e-6, $"{name}: epoch {epoch} training accuracy");
            Assert.AreEqual(e.ValidationLoss, a.ValidationLoss, 1e-4, $"{name}: epoch {epoch} validation loss");
            Assert.AreEqual(e.ValidationAccuracy, a.ValidationAccuracy, 1e-6, $"{name}: epoch {epoch} validation accuracy");
        }

        TrainingParityTests.AssertSameState(managed, torch);
    }

    [TestMethod]
    public void CancellingInTheFirstEpochLeavesTheStartingWeightsBitForBit()
    {
        // Before: the backend copied the half-trained weights of the interrupted epoch back into the network.
        var network = TrainingParityTests.Architecture();
        var start = Weights(network);
        var data = SyntheticData.Classes(network.InputShape, count: 64, classes: 3, seed: 1);
        using var cancellation = new CancellationTokenSource();
        var progress = new ImmediateProgress<TrainingProgress>(r =>
        {
            if (r.CompletedEpoch is null && r.Batch == 3)
            {
                cancellation.Cancel();
            }
        });

        var options = new TrainerOptions { Epochs = 5, BatchSize = 8, Backend = new TorchSharpBackend() };
        var result = new Trainer(options).Fit(network, data, progress: progress, cancellationToken: cancellation.Token);

        Assert.IsTrue(result.Cancelled);
        Assert.AreEqual(0, result.History.Count);
        CollectionAssert.AreEqual(start, Weights(network));
    }

    [TestMethod]
    public void ReusedOptionsGiveEveryFitTheSameLearningRatesOnBothBackends()
    {
        // Before: the managed engine compounded the schedule over fits (0.1, then 0.001, then 1e-5); TorchSharp did not.
        var data = SyntheticData.Classes([12], count: 40, classes: 3, seed: 2);
        foreach (var backend in new ITrainingBackend?[] { null, new TorchSharpBackend() })
        {
            var options = new TrainerOptions { Epochs = 2, BatchSize = 8, Optimizer = new SgdOptimizer(0.1f), LearningRateSchedule = new StepLearningRate(1, 0.01f), Backend = backend };
            var rates = Enumerable.Range(0, 3).Select(_ => new Trainer(options).Fit(TrainingParityTests.Architecture(), data).History[^1].LearningRate).ToArray();
            CollectionAssert.AreEqual(new[] { 0.1f * 0.01f, 0.1f * 0.01f, 0.1f * 0.01f }, rates, backend?.Name ?? "managed");
            Assert.AreEqual(0.1f, options.Optimizer.LearningRate);
        }
    }

    [TestMethod]
    public void ADivergingFitSaysSoAndRestoresTheStartingWeights()
    {
        var network = TrainingParityTests.Architecture();
        var start = Weights(network);
        var data = SyntheticData.Classes(network.InputShape, count: 40, classes: 3, seed: 3);
        var options = new TrainerOptions { Epochs = 2, BatchSize = 8, Optimizer = new SgdOptimizer(1e30f), Backend = new TorchSharpBackend() };
        var e = Assert.ThrowsException<NotFiniteNumberException>(() => new Trainer(options).Fit(network, data));
        StringAssert.Contains(e.Message, "learning rate 1E+30");
        CollectionAssert.AreEqual(start, Weights(network));
    }

    internal static float[] Weights(Network network) => network.State.SelectMany(p => p.Value.Span.ToArray()).ToArray();

    internal sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
