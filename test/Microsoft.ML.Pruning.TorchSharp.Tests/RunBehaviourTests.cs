using System.Diagnostics;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.TorchSharp.Tests;

[TestClass]
public sealed class RunBehaviourTests
{
    [TestMethod]
    public void ProgressIsReportedAfterEachBatchAndEachEpoch()
    {
        var network = TrainingParityTests.Architecture();
        var data = SyntheticData.Classes(network.InputShape, count: 50, classes: 3, seed: 1);
        var reports = new List<TrainingProgress>();
        var options = new TrainerOptions { Epochs = 2, BatchSize = 16, Backend = new TorchSharpBackend() };
        new Trainer(options).Fit(network, data, progress: new ImmediateProgress<TrainingProgress>(reports.Add));
        Assert.AreEqual(2 * (4 + 1), reports.Count, "4 batches and one epoch report per epoch");
        Assert.IsTrue(reports.Where(r => r.CompletedEpoch is null).All(r => r.BatchesPerEpoch == 4 && float.IsFinite(r.RunningLoss)));
        Assert.AreEqual(1, reports[^1].CompletedEpoch!.Epoch);
    }

    [TestMethod]
    public void CancellingStopsBetweenBatchesAndLeavesTheNetworkUsable()
    {
        var network = TrainingParityTests.Architecture();
        var data = SyntheticData.Classes(network.InputShape, count: 64, classes: 3, seed: 1);
        using var cancellation = new CancellationTokenSource();
        int batches = 0;
        var progress = new ImmediateProgress<TrainingProgress>(r =>
        {
            if (r.CompletedEpoch is null && ++batches == 3)
            {
                cancellation.Cancel();
            }
        });
        var options = new TrainerOptions { Epochs = 5, BatchSize = 8, Backend = new TorchSharpBackend() };
        var result = new Trainer(options).Fit(network, data, progress: progress, cancellationToken: cancellation.Token);
        Assert.IsTrue(result.Cancelled);
        Assert.AreEqual(0, result.History.Count);
        Assert.AreEqual(3, batches);
        Assert.IsTrue(Evaluator.Evaluate(network, data).Accuracy >= 0);
    }

    [TestMethod]
    public void AnUnsupportedOptimizerFailsNamingIt()
    {
        var network = TrainingParityTests.Architecture();
        var data = SyntheticData.Classes(network.InputShape, count: 8, classes: 3, seed: 1);
        var options = new TrainerOptions { Epochs = 1, Optimizer = new SignOptimizer(), Backend = new TorchSharpBackend() };
        var error = Assert.ThrowsException<NotSupportedException>(() => new Trainer(options).Fit(network, data));
        StringAssert.Contains(error.Message, nameof(SignOptimizer));
    }

    [TestMethod]
    public void LibTorchTensorsAndProcessMemoryStayFlatOverFiftyEpochs()
    {
        var network = new NetworkBuilder(1, 8, 8).Conv2d(4, 3, padding: 1).BatchNorm().Relu().MaxPool2d(2).Flatten().Dense(3).Build(seed: 1);
        var data = SyntheticData.Classes(network.InputShape, count: 64, classes: 3, seed: 2);
        var validation = SyntheticData.Classes(network.InputShape, count: 32, classes: 3, seed: 3);
        var live = new List<long>();
        var memory = new List<long>();
        var progress = new ImmediateProgress<TrainingProgress>(r =>
        {
            if (r.CompletedEpoch is not null)
            {
                live.Add(global::TorchSharp.DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
                memory.Add(Process.GetCurrentProcess().WorkingSet64);
            }
        });
        var options = new TrainerOptions { Epochs = 50, BatchSize = 16, Backend = new TorchSharpBackend() };
        new Trainer(options).Fit(network, data, validation, progress);
        Assert.AreEqual(50, live.Count);
        Console.WriteLine($"live libtorch tensors: {live[1]} after epoch 2, {live[^1]} after epoch 50; working set {memory[4] >> 20} MiB after epoch 5, {memory[^1] >> 20} MiB after epoch 50");
        Assert.AreEqual(live[1], live[^1], $"live libtorch tensors after epoch 2: {live[1]}, after epoch 50: {live[^1]}");
        long growth = memory[^1] - memory[4];
        Assert.IsTrue(growth < 16L << 20, $"the working set grew by {growth >> 20} MiB between epochs 5 and 50");
    }

    private sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private sealed class SignOptimizer() : Optimizer(0.1f, 0)
    {
        protected override int StateCount => 1;

        protected override void Update(Span<float> values, ReadOnlySpan<float> gradient, float[][] state)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] -= LearningRate * MathF.Sign(gradient[i]);
            }
        }
    }
}
