using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Pipeline;

/// <summary>The contract every estimator keeps: schema propagation, clear rejection of bad input, save and reload.</summary>
[TestClass]
public sealed class EstimatorContractTests
{
    private static readonly Dataset Data = WaveformGenerator.Generate(240, seed: 5);

    public static IEnumerable<object[]> Stages() => new (string Name, Func<PruningContext, StageEstimator> Create, Action<PruningContext> BadOptions)[]
    {
        ("APoZ", c => c.Pruning.Apoz(Quick(new ApozPruningOptions())), c => c.Pruning.Apoz(rate: 1.5)),
        ("magnitude", c => c.Pruning.Magnitude(Quick(new MagnitudePruningOptions())), c => c.Pruning.Magnitude(new MagnitudePruningOptions { QualityFactor = -1 })),
        ("magnitude structured", c => c.Pruning.Magnitude(Quick(new MagnitudePruningOptions { Structured = true })), c => c.Pruning.Magnitude(new MagnitudePruningOptions { RoundTo = 0 })),
        ("filter L1", c => c.Pruning.FilterL1(Quick(new FilterL1PruningOptions { RoundTo = 2 })), c => c.Pruning.FilterL1(new FilterL1PruningOptions { MaximumAccuracyDrop = 2 })),
        ("Taylor", c => c.Pruning.Taylor(Quick(new TaylorPruningOptions())), c => c.Pruning.Taylor(new TaylorPruningOptions { CalibrationSamples = 0 })),
        ("distinctiveness", c => c.Pruning.Distinctiveness(Quick(new DistinctivenessPruningOptions { Centering = 0 })), c => c.Pruning.Distinctiveness(new DistinctivenessPruningOptions { SimilarAngle = 95 })),
        ("fine-tuning", c => c.Pruning.FineTune(new FineTuningOptions { FineTuningEpochs = 1, MeasureLatency = false }), c => c.Pruning.FineTune(epochs: 0)),
        ("adaptive", c => c.Pruning.AdaptiveRate(c.Pruning.Apoz(Quick(new ApozPruningOptions())), new AdaptiveRateSchedulerOptions { MaximumSteps = 2 }), c => c.Pruning.AdaptiveRate(c.Pruning.Apoz(), new AdaptiveRateSchedulerOptions { Step = 0 })),
        ("fixed rate", c => c.Pruning.FixedRate(c.Pruning.Magnitude(Quick(new MagnitudePruningOptions())), new FixedRateSchedulerOptions { Rate = 0.3, MaximumSteps = 2 }), c => c.Pruning.FixedRate(c.Pruning.Apoz(), rate: 0)),
        ("polynomial", c => c.Pruning.Polynomial(c.Pruning.FilterL1(Quick(new FilterL1PruningOptions())), finalSparsity: 0.5, steps: 2), c => c.Pruning.Polynomial(c.Pruning.Apoz(), finalSparsity: 1.5)),
    }.Select(s => new object[] { s.Name, s.Create, s.BadOptions });

    [TestMethod]
    [DynamicData(nameof(Stages), DynamicDataSourceType.Method)]
    public void Fit_PredictedSchema_EqualsTransformSchema(string name, Func<PruningContext, StageEstimator> create, Action<PruningContext> badOptions)
    {
        var context = new PruningContext(seed: 3);
        var pipeline = context.Model.FromNetwork(SmallModel()).Append(create(context));
        var predicted = pipeline.GetOutputSchema(DatasetSchema.Of(Data));

        var model = pipeline.Fit(Data);
        var scored = model.Transform(Data);

        Assert.IsFalse(scored.IsComputed, $"{name}: Transform must be lazy");
        CollectionAssert.AreEqual(predicted.Columns.Select(c => c.ToString()).ToArray(), scored.Schema.Columns.Select(c => c.ToString()).ToArray(), name);
        CollectionAssert.AreEqual(new[] { Data.Count, 3 }, scored.Scores.Shape, name);
        Assert.AreEqual(Data.Count, scored.PredictedLabels.Count, name);
        Assert.IsTrue(scored.IsComputed);
        for (int i = 0; i < Data.Count; i++)
        {
            var row = scored.Scores.Span.Slice(i * 3, 3);
            Assert.AreEqual(1f, row[0] + row[1] + row[2], 1e-5f, $"{name}: scores of row {i} sum to 1");
        }

        Assert.IsTrue(model.Network.ParameterCount <= SmallModel().ParameterCount, $"{name}: the model never grows here");
        Assert.IsTrue(model.Report.Final.Parameters == model.Network.ParameterCount, $"{name}: the report describes the returned network");
    }

    [TestMethod]
    [DynamicData(nameof(Stages), DynamicDataSourceType.Method)]
    public void Fit_InvalidInput_ThrowsNamingTheProblem(string name, Func<PruningContext, StageEstimator> create, Action<PruningContext> badOptions)
    {
        var context = new PruningContext(seed: 3);
        var pipeline = context.Model.FromNetwork(SmallModel()).Append(create(context));

        var narrow = Dataset.FromArray(new float[20 * 4], [20], [0, 1, 2, 0], 3);
        var wrongWidth = Assert.ThrowsExactly<ArgumentException>(() => pipeline.Fit(narrow), name);
        StringAssert.Contains(wrongWidth.Message, "Features");
        StringAssert.Contains(wrongWidth.Message, "[21]");

        var noLabel = new DatasetSchema([new SchemaColumn(ColumnNames.Features, [21], false)]);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => pipeline.GetOutputSchema(noLabel), name).Message, "Label");

        var tooManyClasses = Dataset.FromArray(new float[21 * 2], [21], [0, 4], 5);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => pipeline.Fit(tooManyClasses), name).Message, "5 classes");

        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => pipeline.Fit(Data.Take(0)), name).Message, "empty");

        var bad = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => badOptions(context), name);
        Assert.IsFalse(string.IsNullOrEmpty(bad.ParamName), $"{name}: the exception names the option");
        StringAssert.Contains(bad.Message, bad.ParamName!);

        var alone = Assert.ThrowsExactly<InvalidOperationException>(() => create(context).Fit(Data), name);
        StringAssert.Contains(alone.Message, "context.Model");
    }

    [TestMethod]
    [DynamicData(nameof(Stages), DynamicDataSourceType.Method)]
    public void SaveAndReload_GivesIdenticalScores(string name, Func<PruningContext, StageEstimator> create, Action<PruningContext> badOptions)
    {
        var context = new PruningContext(seed: 3);
        var model = context.Model.FromNetwork(SmallModel()).Append(create(context)).Fit(Data);
        using var folder = new TempDirectory();

        model.Save(folder.File("model.mlnp"));
        model.SaveOnnx(folder.File("model.onnx"));
        var native = context.Model.Load(folder.File("model.mlnp")).Fit(Data);
        var onnx = context.Model.LoadOnnx(folder.File("model.onnx")).Fit(Data);

        var expected = model.Transform(Data).Scores;
        CollectionAssert.AreEqual(expected.Span.ToArray(), native.Transform(Data).Scores.Span.ToArray(), $"{name}: native reload is bit-identical");
        TensorAssert.AllClose(expected.Span, onnx.Transform(Data).Scores.Span, 1e-5, 1e-6, $"{name}: ONNX reload");
        Assert.AreEqual(model.Network.ParameterCount, onnx.Network.ParameterCount, $"{name}: the ONNX model is the pruned size");
    }

    [TestMethod]
    public void Fit_CancelledBeforehand_ReturnsTheStartingModelMarkedCancelled()
    {
        var context = new PruningContext(seed: 3);
        var network = SmallModel();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var model = context.Pruning.AdaptiveRate(context.Pruning.Apoz(Quick(new ApozPruningOptions()))).Fit(network, Data, Data, null, cancelled.Token);

        Assert.IsTrue(model.Cancelled);
        Assert.AreEqual(network.ParameterCount, model.Network.ParameterCount);
    }

    [TestMethod]
    public void Append_ChainsStages_AndTheReportSpansThemAll()
    {
        var context = new PruningContext(seed: 3);
        var model = context.Model.FromNetwork(SmallModel())
            .Append(context.Pruning.Magnitude(Quick(new MagnitudePruningOptions { Structured = true, MaximumAccuracyDrop = 1 })))
            .Append(context.Pruning.Apoz(Quick(new ApozPruningOptions { MaximumAccuracyDrop = 1 })))
            .Append(context.Pruning.FineTune(new FineTuningOptions { FineTuningEpochs = 1, MeasureLatency = false }))
            .Fit(Data);

        Assert.AreEqual(4, model.StageReports.Count);
        Assert.AreEqual(SmallModel().ParameterCount, model.Report.Baseline.Parameters);
        Assert.AreEqual(model.Network.ParameterCount, model.Report.Final.Parameters);
        Assert.IsTrue(model.Network.ParameterCount < SmallModel().ParameterCount, "two pruning stages with a loose budget remove units");
        StringAssert.Contains(model.Report.Method, "fine-tuning");
    }

    private static T Quick<T>(T options)
        where T : PruningEstimatorOptions
    {
        options.FineTuningEpochs = 1;
        options.MeasureLatency = false;
        options.CalibrationSamples = 64;
        options.BatchSize = 32;
        return options;
    }

    private static Network SmallModel() => new NetworkBuilder(21).Dense(16).Relu().Dense(12).Relu().Dense(3).Build(seed: 11);
}
