using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>Issue 20: an IDataView streamed batch by batch against the same rows read into memory.</summary>
[TestClass]
public sealed class DataViewBatchSourceTests
{
    private static readonly Dataset Waves = WaveformGenerator.Generate(300, seed: 3);

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void AStreamedView_GivesTheDatasetsRowsInOrder_AndTheSameEvaluation(bool randomAccess)
    {
        var view = View(Waves, randomAccess);
        var streamed = Open(view, memoryLimit: 0);
        var inMemory = Open(view, memoryLimit: 1 << 30);

        Assert.AreEqual(randomAccess, ((DataViewBatchSource)streamed).Index.RandomAccess);
        Assert.IsInstanceOfType<Dataset>(inMemory);
        Assert.AreEqual(300L, streamed.RowCount);
        CollectionAssert.AreEqual(Waves.Features.Span.ToArray(), Rows(streamed, BatchOrder.Sequential, 32).Features);
        CollectionAssert.AreEqual(Waves.Labels, Rows(streamed, BatchOrder.Sequential, 7).Labels);
        CollectionAssert.AreEqual(Waves.Features.Span.ToArray(), Rows(inMemory, BatchOrder.Sequential, 32).Features);
        var network = new NetworkBuilder(21).Dense(10).Relu().Dense(3).Build(seed: 8);
        Assert.AreEqual(Evaluator.Evaluate(network, Waves, batchSize: 32), Evaluator.Evaluate(network, streamed, batchSize: 32));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ShuffledPasses_ArePermutationsOfTheRows_TheSameForASeedAndEpoch_AnotherForAnother(bool randomAccess)
    {
        var streamed = Open(View(Indexed(500), randomAccess), memoryLimit: 0, shuffleRows: 64);
        var first = Rows(streamed, BatchOrder.Shuffled(5, 0), 32).Features;
        var again = Rows(streamed, BatchOrder.Shuffled(5, 0), 13).Features;
        var next = Rows(streamed, BatchOrder.Shuffled(5, 1), 32).Features;

        CollectionAssert.AreEquivalent(Enumerable.Range(0, 500).Select(i => (float)i).ToArray(), first);
        CollectionAssert.AreEqual(first, again, "the same seed and epoch, other batch sizes");
        CollectionAssert.AreNotEqual(first, next);
        CollectionAssert.AreEquivalent(first, next);
        Assert.IsTrue(first.Where((v, i) => v != i).Count() > 400, "shuffled, not in order");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Training_OnAStreamedView_EqualsTrainingOnTheSameRowsInTheSameOrderInMemory_BitForBit(bool randomAccess)
    {
        var streamed = Open(View(Waves, randomAccess), memoryLimit: 0, shuffleRows: 50);
        var validation = Open(View(WaveformGenerator.Generate(60, seed: 4), randomAccess), memoryLimit: 0);
        var options = new TrainerOptions { Epochs = 3, BatchSize = 16, EvaluationBatchSize = 7, Seed = 5, Optimizer = new AdamOptimizer(0.01f), KeepBestCheckpoint = true };
        var network = new NetworkBuilder(21).Dense(12).Relu().Dense(3).Build(seed: 6);
        var reference = NetworkSerializer.Clone(network);

        var actual = new Trainer(options).Fit(network, streamed, validation);
        var expected = new Trainer(options).Fit(reference, new ReplaySource(streamed), WaveformGenerator.Generate(60, seed: 4));

        CollectionAssert.AreEqual(expected.History.Select(h => (h.TrainingLoss, h.ValidationAccuracy)).ToArray(), actual.History.Select(h => (h.TrainingLoss, h.ValidationAccuracy)).ToArray());
        CollectionAssert.AreEqual(Weights(reference), Weights(network));
    }

    [TestMethod]
    public void AStreamedPass_HoldsThePoolAndTheBatchesInFlight_WhateverTheNumberOfRows()
    {
        const int Pool = 64, Batch = 16;
        long bound = Pool + ((DataViewBatchSource.PrefetchBatches + 1) * Batch);
        foreach (int count in new[] { 600, 6000 })
        {
            var streamed = (DataViewBatchSource)Open(View(Indexed(count), randomAccess: false), memoryLimit: 0, shuffleRows: Pool);
            var rows = Rows(streamed, BatchOrder.Shuffled(1, 0), Batch).Features;

            CollectionAssert.AreEquivalent(Enumerable.Range(0, count).Select(i => (float)i).ToArray(), rows);
            Assert.IsTrue(streamed.Held.Peak >= Pool && streamed.Held.Peak <= bound, $"{count} rows: at most {bound} held, {streamed.Held.Peak} were");
            using (var reader = streamed.OpenReader(BatchOrder.Shuffled(1, 1)))
            {
                reader.Read(new FloatTensor(Batch, 1), new int[Batch]);
            }

            Assert.IsTrue(streamed.Held.Peak <= bound);
            Assert.AreEqual(0L, streamed.Held.Current, "a pass left early holds nothing once disposed");
        }
    }

    [TestMethod]
    public void CancellingInTheMiddleOfAStreamedEpoch_KeepsTheLastGoodEpoch_AndClosesTheCursor()
    {
        var view = (ScriptedDataView)View(Waves, randomAccess: false);
        var streamed = Open(view, memoryLimit: 0, shuffleRows: 40);
        var options = new TrainerOptions { Epochs = 3, BatchSize = 16, Seed = 2, Optimizer = new AdamOptimizer(0.01f) };
        var oneEpoch = new NetworkBuilder(21).Dense(12).Relu().Dense(3).Build(seed: 6);
        var network = NetworkSerializer.Clone(oneEpoch);
        new Trainer(new TrainerOptions { Epochs = 1, BatchSize = 16, Seed = 2, Optimizer = new AdamOptimizer(0.01f) }).Fit(oneEpoch, streamed);

        using var cancellation = new CancellationTokenSource();
        var progress = new Reporter(p =>
        {
            if (p.Epoch == 1 && p.Batch == 5)
            {
                cancellation.Cancel();
            }
        });
        var result = new Trainer(options).Fit(network, streamed, null, progress, cancellation.Token);

        Assert.IsTrue(result.Cancelled);
        Assert.AreEqual(1, result.History.Count);
        CollectionAssert.AreEqual(Weights(oneEpoch), Weights(network), "the weights of the one completed epoch");
        Assert.AreEqual(0, view.OpenCursors, "the reading thread closed its cursor");
    }

    private static IBatchSource Open(IDataView view, long memoryLimit, int? shuffleRows = null)
    {
        int width = ((Microsoft.ML.Data.VectorDataViewType)view.Schema["Features"].Type).Size;
        int classes = (int)((Microsoft.ML.Data.KeyDataViewType)view.Schema["Label"].Type).Count;
        var columns = StageColumns.Check(view.Schema, "Features", "Label", [width], classes);
        var source = DataViewReader.Open(view, columns, [width], memoryLimit);
        return shuffleRows is { } rows && source is DataViewBatchSource streamed
            ? new DataViewBatchSource(streamed.Data, columns, [width], streamed.Index, rows)
            : source;
    }

    /// <summary>The rows of a data set as an ML.NET view: ours, read in order only, or ML.NET's cache, which can shuffle.</summary>
    internal static IDataView View(Dataset data, bool randomAccess)
    {
        var features = Enumerable.Range(0, data.Count).Select(i => data.GetSample(i).ToArray()).ToArray();
        if (!randomAccess)
        {
            return new ScriptedDataView(features, data.Labels, data.ClassCount);
        }

        var ml = new MLContext(seed: 1);
        var rows = features.Select((f, i) => new KeyRow { Features = f, Class = (uint)data.Labels[i] }).ToArray();
        var schema = Microsoft.ML.Data.SchemaDefinition.Create(typeof(KeyRow));
        schema["Features"].ColumnType = new Microsoft.ML.Data.VectorDataViewType(Microsoft.ML.Data.NumberDataViewType.Single, data.FeatureCount);
        var view = ml.Data.LoadFromEnumerable(rows, schema);
        // ML.NET's cache (what AppendCacheCheckpoint puts in a pipeline) reads its rows in any order.
        return ml.Data.Cache(ml.Transforms.Conversion.MapValueToKey("Label", "Class", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Fit(ml.Data.LoadFromEnumerable(Enumerable.Range(0, data.ClassCount).Select(c => new KeyRow { Features = new float[data.FeatureCount], Class = (uint)c }), schema))
            .Transform(view));
    }

    internal static Dataset Indexed(int count) => Dataset.FromArrays(Enumerable.Range(0, count).Select(i => new[] { (float)i }).ToArray(), Enumerable.Range(0, count).Select(i => i % 2).ToArray(), 2);

    internal static (float[] Features, int[] Labels) Rows(IBatchSource source, BatchOrder order, int batch)
    {
        var features = new List<float>();
        var labels = new List<int>();
        int width = FloatTensor.ComputeLength([.. source.SampleShape]);
        var tensor = new FloatTensor([batch, .. source.SampleShape]);
        var buffer = new int[batch];
        using var reader = source.OpenReader(order);
        int read;
        while ((read = reader.Read(tensor, buffer)) > 0)
        {
            features.AddRange(tensor.Span[..(read * width)].ToArray());
            labels.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        return ([.. features], [.. labels]);
    }

    internal static float[] Weights(Network network) => network.State.SelectMany(p => p.Value.Span.ToArray()).ToArray();

    /// <summary>A row with a class index (mapped to a key by value, so key k + 1 is class k).</summary>
    public sealed class KeyRow
    {
        /// <summary>Gets or sets the features.</summary>
        public float[] Features { get; set; } = [];

        /// <summary>Gets or sets the class index.</summary>
        public uint Class { get; set; }
    }

    /// <summary>Replays, for each pass, the rows a source gives in that pass, from memory (a data set read in order).</summary>
    private sealed class ReplaySource(IBatchSource source) : IBatchSource
    {
        public IReadOnlyList<int> SampleShape => source.SampleShape;

        public int ClassCount => source.ClassCount;

        public long? RowCount => source.RowCount;

        public IBatchReader OpenReader(BatchOrder order)
        {
            var (features, labels) = Rows(source, order, 64);
            IBatchSource replay = Dataset.FromArray(features, [.. source.SampleShape], labels, source.ClassCount);
            return replay.OpenReader(BatchOrder.Sequential);
        }

        public IBatchSource Where(Func<long, bool> rowFilter) => throw new NotSupportedException();
    }

    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
