using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Data;

/// <summary>The batch source the engine reads (issue 20): the in-memory Dataset, and any source that only streams its rows.</summary>
[TestClass]
public sealed class BatchSourceTests
{
    [TestMethod]
    public void Dataset_ShuffledPasses_AreTheTrainersSuccessiveShufflesOfOneSeededRandom()
    {
        var data = Indexed(23);
        var random = new Random(9);
        var order = Enumerable.Range(0, 23).ToArray();
        for (int epoch = 0; epoch < 4; epoch++)
        {
            random.Shuffle(order);
            CollectionAssert.AreEqual(order.Select(i => (float)i).ToArray(), ReadAll(data, BatchOrder.Shuffled(9, epoch), 5), $"epoch {epoch}");
        }

        CollectionAssert.AreEqual(ReadAll(data, BatchOrder.Shuffled(9, 2), 5), ReadAll(data, BatchOrder.Shuffled(9, 2), 7), "an earlier epoch again, other batches");
        CollectionAssert.AreEqual(Enumerable.Range(0, 23).Select(i => (float)i).ToArray(), ReadAll(data, BatchOrder.Sequential, 4));
    }

    [TestMethod]
    public void Dataset_Reader_FillsTheCallersTensorWithoutReallocatingIt()
    {
        IBatchSource data = Indexed(10);
        var features = new FloatTensor(4, 1);
        var backing = features.Data;
        var labels = new int[4];
        using var reader = data.OpenReader(BatchOrder.Sequential);
        CollectionAssert.AreEqual(new[] { 4, 4, 2, 0 }, new[] { reader.Read(features, labels), reader.Read(features, labels), reader.Read(features, labels), reader.Read(features, labels) });
        Assert.AreSame(backing, features.Data);
        CollectionAssert.AreEqual(new[] { 2, 1 }, features.Shape, "the last batch is resized, not reallocated");
        CollectionAssert.AreEqual(new[] { 8f, 9f }, features.Span.ToArray());
    }

    [TestMethod]
    public void Where_KeepsTheRowsWhoseNumberPasses_InOrder()
    {
        IBatchSource data = Indexed(12);
        var odd = data.Where(row => row % 2 == 1);
        Assert.AreEqual(6L, odd.RowCount);
        CollectionAssert.AreEqual(new[] { 1f, 3f, 5f, 7f, 9f, 11f }, ReadAll(odd, BatchOrder.Sequential, 4));
    }

    [TestMethod]
    public void Fit_AStreamingSourceOfUnknownLength_TrainsBitIdenticallyToTheDataset()
    {
        var data = WaveformGenerator.Generate(150, seed: 3);
        var validation = WaveformGenerator.Generate(40, seed: 4);
        var options = new TrainerOptions { Epochs = 3, BatchSize = 16, EvaluationBatchSize = 7, Seed = 5, Optimizer = new SgdOptimizer(0.05f, momentum: 0.9f) };
        var network = new NetworkBuilder(21).Dense(12).Relu().Dense(3).Build(seed: 6);
        var streamed = NetworkSerializer.Clone(network);
        var batchesPerEpoch = new List<int>();

        var expected = new Trainer(options).Fit(network, data, validation);
        var actual = new Trainer(options).Fit(streamed, new StreamingSource(data), new StreamingSource(validation),
            new TrainerReuseProgress(p => batchesPerEpoch.Add(p.BatchesPerEpoch)));

        CollectionAssert.AreEqual(expected.History.Select(h => (h.TrainingLoss, h.ValidationAccuracy)).ToArray(), actual.History.Select(h => (h.TrainingLoss, h.ValidationAccuracy)).ToArray());
        CollectionAssert.AreEqual(Weights(network), Weights(streamed));
        Assert.AreEqual(0, batchesPerEpoch[0], "not known during the first pass");
        Assert.AreEqual(10, batchesPerEpoch[^1], "known after it");
    }

    [TestMethod]
    public void CriteriaAndEvaluation_OnAStreamingSource_GiveTheDatasetsFigures()
    {
        var data = WaveformGenerator.Generate(90, seed: 7);
        var network = new NetworkBuilder(21).Dense(10).Relu().Dense(3).Build(seed: 8);
        var groups = PruningGroups.Find(network);
        var streamed = new StreamingSource(data);

        Assert.AreEqual(Evaluator.Evaluate(network, data, batchSize: 32), Evaluator.Evaluate(network, streamed, batchSize: 32));
        CollectionAssert.AreEqual(new ApozImportance().Score(network, groups, data)[0], new ApozImportance().Score(network, groups, streamed)[0]);
        CollectionAssert.AreEqual(new TaylorImportance().Score(network, groups, data)[0], new TaylorImportance().Score(network, groups, streamed)[0]);
        CollectionAssert.AreEqual(new DistinctivenessImportance().Score(network, groups, data)[0], new DistinctivenessImportance().Score(network, groups, streamed)[0]);
        CollectionAssert.AreEqual(((Dataset)CalibrationSampler.Draw(data, 20, seed: 2)).Features.Span.ToArray(), ((Dataset)CalibrationSampler.Draw(streamed, 20, seed: 2)).Features.Span.ToArray());
    }

    [TestMethod]
    public void Pruner_OnAStreamingSource_HoldsOutADisjointSeededSelectionByRowNumber()
    {
        var data = WaveformGenerator.Generate(300, seed: 9);
        var streamed = new StreamingSource(data);
        var options = new TrainerOptions { Epochs = 2, KeepBestCheckpoint = true };
        var (fit, selection) = Pruner.SelectionSplit(streamed, options, seed: 4);
        var fitRows = ReadAll(fit, BatchOrder.Sequential, 64, width: 21);
        var heldRows = ReadAll(selection!, BatchOrder.Sequential, 64, width: 21);

        Assert.AreEqual(300, (fitRows.Length + heldRows.Length) / 21);
        Assert.IsTrue(heldRows.Length / 21 is > 15 and < 50, $"about a tenth held out: {heldRows.Length / 21}");
        CollectionAssert.AreEqual(heldRows, ReadAll(Pruner.SelectionSplit(streamed, options, seed: 4).Selection!, BatchOrder.Sequential, 64, width: 21), "the same rows each time");
        Assert.IsFalse(Rows(fitRows).Overlaps(Rows(heldRows)));

        var result = Pruner.Run(new NetworkBuilder(21).Dense(8).Relu().Dense(3).Build(seed: 1), streamed, new StreamingSource(WaveformGenerator.Generate(60, seed: 10)), new PrunerOptions
        {
            Method = new StructuredPruning(new ApozImportance()),
            Schedule = new OneShotSchedule(0.25),
            MaximumAccuracyDrop = 1,
            FineTuning = options,
            MeasureLatency = false,
        });
        Assert.AreEqual(6, ((Dense)result.Network.Nodes[0].Layer).Outputs);
    }

    private static Dataset Indexed(int count) => Dataset.FromArrays(Enumerable.Range(0, count).Select(i => new[] { (float)i }).ToArray(), new int[count], 2);

    private static float[] ReadAll(IBatchSource source, BatchOrder order, int batch, int width = 1)
    {
        var values = new List<float>();
        var features = new FloatTensor(batch, width);
        var labels = new int[batch];
        using var reader = source.OpenReader(order);
        while (reader.Read(features, labels) > 0)
        {
            values.AddRange(features.Span.ToArray());
        }

        return values.ToArray();
    }

    private static HashSet<string> Rows(float[] values) =>
        Enumerable.Range(0, values.Length / 21).Select(n => string.Join(",", values.Skip(n * 21).Take(21))).ToHashSet();

    private static float[] Weights(Network network) => network.State.SelectMany(p => p.Value.Span.ToArray()).ToArray();

    private sealed class TrainerReuseProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
