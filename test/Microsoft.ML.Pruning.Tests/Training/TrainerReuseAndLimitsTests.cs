using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Training;

/// <summary>What a fit may change, and the inputs it refuses or adapts to (issue 19, items 3, 17 and 18).</summary>
[TestClass]
public sealed class TrainerReuseAndLimitsTests
{
    [TestMethod]
    public void Fit_ReusedOptions_RunEverySuccessiveFitAtTheSameLearningRates()
    {
        // Before: the trainer took the optimizer's current rate as its base rate and left the schedule's last rate in it,
        // so three fits with one TrainerOptions ran at 0.1, then 0.001, then 1e-5.
        var optimizer = new SgdOptimizer(0.1f, momentum: 0.9f);
        var options = new TrainerOptions { Epochs = 3, BatchSize = 20, Optimizer = optimizer, LearningRateSchedule = new StepLearningRate(1, 0.1f) };
        var data = WaveformGenerator.Generate(100, seed: 1);
        var first = new NetworkBuilder(21).Dense(8).Relu().Dense(3).Build(seed: 1);
        var results = Enumerable.Range(0, 3).Select(_ =>
        {
            var network = NetworkSerializer.Clone(first);
            return (new Trainer(options).Fit(network, data), network);
        }).ToArray();

        foreach (var (result, _) in results)
        {
            CollectionAssert.AreEqual(new[] { 0.1f, 0.1f * 0.1f, 0.1f * 0.1f * 0.1f }, result.History.Select(h => h.LearningRate).ToArray());
        }

        Assert.AreEqual(0.1f, optimizer.LearningRate, "the optimizer given is left as it was");
        CollectionAssert.AreEqual(Weights(results[0].network), Weights(results[2].network), "the third fit trains exactly as the first");
    }

    [TestMethod]
    public void Fit_TheSameNetworkTwice_StartsEachFitWithFreshOptimizerState()
    {
        // Before: Adam's moments and step counts lived in the optimizer the options held, so a second fit of the same
        // network continued the first one's moments where a fit from a copy started afresh.
        var options = new TrainerOptions { Epochs = 1, BatchSize = 25, Optimizer = new AdamOptimizer(1e-2f) };
        var data = WaveformGenerator.Generate(100, seed: 2);
        var network = new NetworkBuilder(21).Dense(8).Relu().Dense(3).Build(seed: 3);
        new Trainer(options).Fit(network, data);
        var copy = NetworkSerializer.Clone(network);
        new Trainer(options).Fit(network, data);
        new Trainer(options).Fit(copy, data);
        CollectionAssert.AreEqual(Weights(copy), Weights(network));
    }

    [TestMethod]
    public void Fit_ALearningRateThatDiverges_SaysSoWithTheRateAndTheBatch()
    {
        // Before: training ran on with NaN weights, and the stage that saved them failed with "layer 'dense1': weight[1] is NaN".
        var network = new NetworkBuilder(21).Dense(8).Relu().Dense(3).Build(seed: 1);
        var start = Weights(network);
        var options = new TrainerOptions { Epochs = 3, BatchSize = 20, Optimizer = new SgdOptimizer(1e30f) };
        var e = Assert.ThrowsException<NotFiniteNumberException>(() => new Trainer(options).Fit(network, WaveformGenerator.Generate(100, seed: 1)));
        StringAssert.Contains(e.Message, "Training diverged");
        StringAssert.Contains(e.Message, "learning rate 1E+30");
        StringAssert.Contains(e.Message, "batch 2 of epoch 1");
        CollectionAssert.AreEqual(start, Weights(network), "the starting weights are put back");
    }

    [TestMethod]
    public void Fit_ANonFiniteFeature_FailsBeforeTrainingNamingTheRow()
    {
        // Before: the NaN reached the weights, and the failure named a weight, not the data.
        var data = WaveformGenerator.Generate(50, seed: 1);
        var features = data.Features.Clone();
        features.Span[(17 * 21) + 4] = float.PositiveInfinity;
        var bad = new Dataset(features, data.Labels, data.ClassCount);
        var network = new NetworkBuilder(21).Dense(8).Relu().Dense(3).Build(seed: 1);
        var start = Weights(network);

        var e = Assert.ThrowsException<ArgumentException>(() => new Trainer(new TrainerOptions { Epochs = 1 }).Fit(network, bad));
        Assert.AreEqual("training", e.ParamName);
        StringAssert.Contains(e.Message, "Row 17 of the training data");
        StringAssert.Contains(e.Message, "feature 4 (of 21) is +infinity");
        CollectionAssert.AreEqual(start, Weights(network));
        var evaluation = Assert.ThrowsException<ArgumentException>(() => Evaluator.Evaluate(network, bad));
        StringAssert.Contains(evaluation.Message, "Row 17");
    }

    [TestMethod]
    public void Fit_BatchSizeLargerThanTheData_TrainsOnAllRowsInOneBatch()
    {
        // Before: the trainer allocated the batch it was asked for and failed with "Shape [2147483647, 21] has more than ...".
        var data = WaveformGenerator.Generate(30, seed: 1);
        var network = new NetworkBuilder(21).Dense(8).Relu().Dense(3).Build(seed: 1);
        var same = NetworkSerializer.Clone(network);
        var progress = new List<TrainingProgress>();
        var result = new Trainer(new TrainerOptions { Epochs = 2, BatchSize = int.MaxValue, EvaluationBatchSize = int.MaxValue })
            .Fit(network, data, data, new Recorder<TrainingProgress>(progress.Add));
        new Trainer(new TrainerOptions { Epochs = 2, BatchSize = 30, EvaluationBatchSize = 30 }).Fit(same, data, data);

        Assert.AreEqual(30, result.BatchSize);
        Assert.AreEqual(1, progress.Count(p => p.CompletedEpoch is null && p.Epoch == 0), "one batch per epoch");
        Assert.IsTrue(progress.All(p => p.Note is null), "fewer rows than asked is not worth a note");
        CollectionAssert.AreEqual(Weights(same), Weights(network));
    }

    [TestMethod]
    public void Trainer_FrozenAndTrainableLayersTogether_AreRefusedNamingTheOption()
    {
        var e = Assert.ThrowsException<ArgumentException>(() => new Trainer(new TrainerOptions { FrozenLayers = ["a"], TrainableLayers = ["b"] }));
        Assert.AreEqual(nameof(TrainerOptions.TrainableLayers), e.ParamName);
    }

    internal static float[] Weights(Network network) => network.State.SelectMany(p => p.Value.Span.ToArray()).ToArray();

    internal sealed class Recorder<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
