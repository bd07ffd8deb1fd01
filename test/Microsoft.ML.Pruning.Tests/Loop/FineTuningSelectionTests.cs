using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Loop;

/// <summary>The loop's fine-tuning never picks its epoch on the data that judges the budget (issue 13, item 5).</summary>
[TestClass]
public sealed class FineTuningSelectionTests
{
    [TestMethod]
    public void Run_FineTuningThatKeepsItsBestEpoch_PicksOnAHeldOutTenthOfTheTrainingData()
    {
        // Before: the trainer got the validation data itself, so the budget judged the best of three looks at it.
        var training = WaveformGenerator.Generate(200, seed: 1);
        var validation = WaveformGenerator.Generate(60, seed: 2);
        var spy = new SpyBackend();
        var options = Options(new TrainerOptions { Epochs = 3, KeepBestCheckpoint = true, Backend = spy });
        Pruner.Run(new NetworkBuilder(21).Dense(8).Relu().Dense(3).Build(seed: 1), training, validation, options);

        Assert.IsTrue(spy.Calls.Count >= 1);
        foreach (var (fit, selection) in spy.Calls)
        {
            Assert.AreEqual(20, selection.Count, "a tenth of 200");
            Assert.AreEqual(180, fit.Count);
            var heldOut = selection.ToHashSet();
            Assert.IsFalse(fit.ToHashSet().Overlaps(heldOut), "the held-out samples are not trained on");
            Assert.IsFalse(Rows(validation).Overlaps(heldOut));
            Assert.IsTrue(Rows(training).IsSupersetOf(heldOut));
        }

        Assert.IsTrue(spy.Calls.All(c => c.Selection.ToHashSet().SetEquals(spy.Calls[0].Selection)), "the same tenth at every step");
    }

    [TestMethod]
    public void SelectionSplit_IsAPureFunctionOfTheSeed_TheSameInEveryProcess()
    {
        // Before: the shuffle was seeded with HashCode.Combine, which .NET randomizes per process, so the held-out
        // tenth (and every fit after it) changed from run to run. The split is the seeded shuffle of the row indices.
        var rows = Enumerable.Range(0, 40).Select(i => new float[] { i }).ToArray();
        var training = Dataset.FromArrays(rows, new int[40], classCount: 2);
        var options = new TrainerOptions { Epochs = 2, KeepBestCheckpoint = true };

        var (_, selection) = Pruner.SelectionSplit(training, options, seed: 7);

        var order = Enumerable.Range(0, 40).ToArray();
        new Random(7 ^ 0x5E1EC7).Shuffle(order);
        CollectionAssert.AreEqual(order.Take(4).Select(i => (float)i).ToArray(), ((Dataset)selection!).Features.Span.ToArray());
    }

    [TestMethod]
    public void Run_FineTuningOfOneEpoch_TrainsOnAllTheTrainingDataWithoutValidation()
    {
        var training = WaveformGenerator.Generate(200, seed: 1);
        var spy = new SpyBackend();
        var options = Options(new TrainerOptions { Epochs = 1, KeepBestCheckpoint = true, Backend = spy });
        Pruner.Run(new NetworkBuilder(21).Dense(8).Relu().Dense(3).Build(seed: 1), training, WaveformGenerator.Generate(60, seed: 2), options);

        Assert.IsTrue(spy.Calls.Count >= 1);
        Assert.IsTrue(spy.Calls.All(c => c.Fit.Count == 200 && c.Selection.Count == 0));
    }

    private static PrunerOptions Options(TrainerOptions fineTuning) => new()
    {
        Method = new StructuredPruning(new WeightNormImportance()),
        Schedule = new FixedRateSchedule(0.25, maximumSteps: 2),
        MaximumAccuracyDrop = 1,
        FineTuning = fineTuning,
        MeasureLatency = false,
    };

    /// <summary>Each sample's features as a string, to compare data sets as sets of samples.</summary>
    private static HashSet<string> Rows(Dataset data)
    {
        int width = data.SampleShape[0];
        var features = new Microsoft.ML.Pruning.Tensors.FloatTensor([data.Count, width]);
        data.CopyBatch(Enumerable.Range(0, data.Count).ToArray(), features, new int[data.Count]);
        var values = features.Span.ToArray();
        return Enumerable.Range(0, data.Count).Select(n => string.Join(",", values.Skip(n * width).Take(width))).ToHashSet();
    }

    /// <summary>Records the rows each fine-tuning trains on and evaluates in its first epoch, and trains nothing.</summary>
    private sealed class SpyBackend : ITrainingBackend
    {
        public List<(List<string> Fit, List<string> Selection)> Calls { get; } = [];

        public string Name => "spy";

        public ITrainingSession Bind(Network network, TrainingSetup setup)
        {
            Calls.Add(([], []));
            return new SpySession(Calls[^1]);
        }

        private sealed class SpySession((List<string> Fit, List<string> Selection) call) : ITrainingSession
        {
            private int _epochs;

            public void SetLearningRate(float learningRate) => _epochs++;

            public BatchOutcome TrainBatch(Microsoft.ML.Pruning.Tensors.FloatTensor features, ReadOnlySpan<int> labels) => Record(features, labels, call.Fit);

            public BatchOutcome EvaluateBatch(Microsoft.ML.Pruning.Tensors.FloatTensor features, ReadOnlySpan<int> labels) => Record(features, labels, call.Selection);

            public bool TrySaveCheckpoint() => true;

            public void RestoreCheckpoint()
            {
            }

            public void CopyToNetwork()
            {
            }

            public void Dispose()
            {
            }

            private BatchOutcome Record(Microsoft.ML.Pruning.Tensors.FloatTensor features, ReadOnlySpan<int> labels, List<string> rows)
            {
                int width = features.Length / labels.Length;
                if (_epochs == 1)
                {
                    var values = features.Span.ToArray();
                    rows.AddRange(Enumerable.Range(0, labels.Length).Select(n => string.Join(",", values.Skip(n * width).Take(width))));
                }

                return new BatchOutcome(1, 0);
            }
        }
    }
}
