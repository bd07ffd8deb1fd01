using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Stages;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>Every estimator of the library, each with the check that it did its work (a stage that does nothing fails).</summary>
internal static class ContractStages
{
    public static IEnumerable<object[]> All() => Cases.Select(c => new object[] { c.Name });

    public static ContractStage Get(string name) => Cases.Single(c => c.Name == name);

    private static readonly ContractStage[] Cases =
    [
        new("trainer", true, (ml, t) => ml.MulticlassClassification.Trainers.NeuralNetwork(PipelineFixture.Architecture(), new NeuralNetworkTrainerOptions { Epochs = 4, LearningRate = 0.01, BatchSize = 32, CancellationToken = t }),
            (start, result) => Assert.IsTrue(result.Report.Final.Accuracy > result.Report.Baseline.Accuracy + 0.2, "training raises the validation accuracy well above the untrained network's")),
        new("ONNX model", true, (ml, t) => ml.Pruning().LoadOnnxModel(OnnxStream()),
            (start, result) => CollectionAssert.AreEqual(Weights(start), Weights(result.Network), "the stage holds the ONNX model's weights")),
        new("APoZ", false, (ml, t) => ml.Pruning().Apoz(Quick(new ApozPruningOptions(), t)), Smaller),
        new("magnitude", false, (ml, t) => ml.Pruning().Magnitude(Quick(new MagnitudePruningOptions(), t)), FewerNonzeros),
        new("magnitude structured", false, (ml, t) => ml.Pruning().Magnitude(Quick(new MagnitudePruningOptions { Structured = true }, t)), Smaller),
        new("filter L1", false, (ml, t) => ml.Pruning().FilterL1(Quick(new FilterL1PruningOptions { RoundTo = 2 }, t)), Smaller),
        new("Taylor", false, (ml, t) => ml.Pruning().Taylor(Quick(new TaylorPruningOptions(), t)), Smaller),
        new("distinctiveness", false, (ml, t) => ml.Pruning().Distinctiveness(Quick(new DistinctivenessPruningOptions { Centering = 0, SimilarAngle = 60, ComplementaryAngle = 120 }, t)), Smaller),
        new("custom importance", false, (ml, t) => ml.Pruning().Importance(Quick(new ImportancePruningOptions { Importance = new FirstUnitsFirst(), Layers = ["dense1"] }, t, epochs: 0)), FirstUnitsRemoved),
        new("fine-tuning", false, (ml, t) => ml.Pruning().FineTune(new FineTuningOptions { Epochs = 1, CancellationToken = t }),
            (start, result) => CollectionAssert.AreNotEqual(Weights(start), Weights(result.Network), "fine-tuning moves the weights")),
        new("adaptive", false, (ml, t) => ml.Pruning().AdaptiveRate(ml.Pruning().Apoz(Quick(new ApozPruningOptions(), t, budget: 0.05)), new AdaptiveRateSchedulerOptions { MaximumSteps = 2, InitialRate = 0.2 }), Smaller),
        new("fixed rate", false, (ml, t) => ml.Pruning().FixedRate(ml.Pruning().Magnitude(Quick(new MagnitudePruningOptions(), t)), new FixedRateSchedulerOptions { Rate = 0.3, MaximumSteps = 2 }), FewerNonzeros),
        new("polynomial", false, (ml, t) => ml.Pruning().Polynomial(ml.Pruning().FilterL1(Quick(new FilterL1PruningOptions(), t)), finalSparsity: 0.5, steps: 2), Smaller),
        new("custom schedule", false, (ml, t) => ml.Pruning().Schedule(ml.Pruning().Apoz(Quick(new ApozPruningOptions(), t)), new QuarterOnce(), maximumSteps: 5),
            (start, result) =>
            {
                Smaller(start, result);
                Assert.AreEqual(0.25, result.Report.Steps.Single(s => s.Phase == "prune").Rate, "the custom schedule's one rate");
            }),
    ];

    /// <summary>Options with no accuracy budget (every step is kept) and a short fine-tuning.</summary>
    public static T Quick<T>(T options, CancellationToken token, int epochs = 1, double budget = 1)
        where T : PruningStageOptions
    {
        options.CancellationToken = token;
        options.MaximumAccuracyDrop = budget;
        options.Epochs = epochs;
        options.CalibrationSamples = 128;
        options.BatchSize = 32;
        return options;
    }

    private static void Smaller(Network start, NeuralNetworkTransformer result) =>
        Assert.IsTrue(result.Network.ParameterCount < start.ParameterCount, $"the stage removes units ({result.Network.ParameterCount} of {start.ParameterCount} parameters left)");

    private static void FewerNonzeros(Network start, NeuralNetworkTransformer result) =>
        Assert.IsTrue(NonzeroCount.Of(result.Network) < NonzeroCount.Of(start) * 0.8, $"the stage zeroes weights ({NonzeroCount.Of(result.Network)} of {NonzeroCount.Of(start)} nonzero)");

    private static void FirstUnitsRemoved(Network start, NeuralNetworkTransformer result)
    {
        Smaller(start, result);
        var before = (Dense)start["dense1"].Layer;
        var after = (Dense)result.Network["dense1"].Layer;
        int kept = after.Outputs, inputs = before.Inputs;
        var expected = before.Weight.Value.Span[((before.Outputs - kept) * inputs)..].ToArray();
        CollectionAssert.AreEqual(expected, after.Weight.Value.Span.ToArray(), "the units the criterion scores lowest (the first ones) are the ones removed");
    }

    private static float[] Weights(Network network) => network.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();

    private static MemoryStream OnnxStream()
    {
        var stream = new MemoryStream();
        OnnxModel.Save(PipelineFixture.Trained, stream);
        stream.Position = 0;
        return stream;
    }

    /// <summary>A custom criterion: a unit's score is its index, so the first units go first.</summary>
    private sealed class FirstUnitsFirst : IImportance
    {
        public string Name => "first units first";

        public bool RequiresData => false;

        public IReadOnlyList<float[]> Score(Network network, IReadOnlyList<PruningGroup> groups, IBatchSource? data, CancellationToken cancellationToken = default) =>
            groups.Select(g => Enumerable.Range(0, g.UnitCount).Select(i => (float)i).ToArray()).ToArray();
    }

    /// <summary>A custom schedule: one step at a quarter, then stop.</summary>
    private sealed class QuarterOnce : IPruningSchedule
    {
        public string Name => "a quarter once";

        public double? NextRate(PruningScheduleContext context) => context.Step == 0 ? 0.25 : null;
    }
}

/// <summary>One estimator under the contract.</summary>
/// <param name="Name">The case name.</param>
/// <param name="StartsModel">Whether it is a model stage (no model before it).</param>
/// <param name="Create">Creates the estimator; the token goes into its options.</param>
/// <param name="DidItsWork">Asserts the stage changed the model as it should, given the model it started from.</param>
internal sealed record ContractStage(string Name, bool StartsModel, Func<MLContext, CancellationToken, IEstimator<NeuralNetworkTransformer>> Create, Action<Network, NeuralNetworkTransformer> DidItsWork)
{
    /// <summary>The model the stage starts from: the trained network, or the untrained architecture for the trainer.</summary>
    public Network Start => Name == "trainer" ? PipelineFixture.Architecture() : PipelineFixture.Trained;

    /// <summary>The pipeline: ML.NET featurization, a model stage (unless this is one), a cache checkpoint, the stage, MapKeyToValue.</summary>
    public IEstimator<ITransformer> Pipeline(MLContext ml, CancellationToken token = default)
    {
        var featurized = PipelineFixture.Featurize(ml);
        IEstimator<ITransformer> withModel = StartsModel ? featurized : featurized.Append(ml.Pruning().FromNetwork(PipelineFixture.Trained)).AppendCacheCheckpoint(ml);
        return withModel.Append(Create(ml, token)).Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
    }
}
