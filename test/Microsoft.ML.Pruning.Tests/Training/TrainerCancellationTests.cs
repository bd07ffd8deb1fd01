using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Training;

/// <summary>A cancelled training run never leaves the half-updated weights of the epoch it stopped in (issue 13, item 8).</summary>
[TestClass]
public sealed class TrainerCancellationTests
{
    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void Fit_CancelledDuringTheFirstEpoch_ReturnsTheStartingWeights(bool keepBest)
    {
        var network = new NetworkBuilder(21).Dense(8).Relu().Dense(3).Build(seed: 1);
        var start = Weights(network);
        using var cancellation = new CancellationTokenSource();
        // Cancel after the third of 20 batches: three optimizer steps have moved the weights by then.
        var progress = new Progress(p =>
        {
            if (p.CompletedEpoch is null && p.Batch == 3)
            {
                cancellation.Cancel();
            }
        });

        var result = new Trainer(new TrainerOptions { Epochs = 3, BatchSize = 20, KeepBestCheckpoint = keepBest })
            .Fit(network, WaveformGenerator.Generate(400, seed: 11), WaveformGenerator.Generate(100, seed: 12), progress, cancellation.Token);

        Assert.IsTrue(result.Cancelled);
        Assert.AreEqual(0, result.History.Count);
        CollectionAssert.AreEqual(start, Weights(network), "the starting point, not three batches into the epoch");
    }

    [TestMethod]
    public void Fit_CancelledDuringTheSecondEpochWithoutBestCheckpoint_ReturnsTheFirstEpochsWeights()
    {
        var network = new NetworkBuilder(21).Dense(8).Relu().Dense(3).Build(seed: 1);
        float[]? afterFirst = null;
        using var cancellation = new CancellationTokenSource();
        var progress = new Progress(p =>
        {
            if (p.CompletedEpoch is { Epoch: 0 })
            {
                afterFirst = Weights(network);
            }
            else if (p.CompletedEpoch is null && p.Epoch == 1 && p.Batch == 5)
            {
                cancellation.Cancel();
            }
        });

        var result = new Trainer(new TrainerOptions { Epochs = 3, BatchSize = 20, KeepBestCheckpoint = false })
            .Fit(network, WaveformGenerator.Generate(400, seed: 11), null, progress, cancellation.Token);

        Assert.IsTrue(result.Cancelled);
        Assert.AreEqual(1, result.History.Count);
        CollectionAssert.AreEqual(afterFirst, Weights(network));
    }

    private static float[] Weights(Network network) => network.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
