using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.TorchSharp.Tests;

/// <summary>Frozen layers on the TorchSharp backend: unchanged bit for bit, and the rest trains as on the managed engine (issue 16, item 3).</summary>
[TestClass]
public sealed class FrozenLayerTests
{
    private static Network Backbone() => new NetworkBuilder(1, 8, 8)
        .Conv2d(4, 3, padding: 1).BatchNorm().Relu().MaxPool2d(2)
        .Flatten().Dense(8).Dropout(0.3f).Relu().Dense(3).Build(seed: 2);

    [TestMethod]
    public void FrozenLayersKeepWeightsAndBatchNormStatisticsBitForBit()
    {
        var network = Backbone();
        string[] frozen = ["conv1", "bn1", "dense1"];
        var before = State(network, frozen);
        var head = State(network, ["dense2"]);
        var data = SyntheticData.Classes(network.InputShape, count: 64, classes: 3, seed: 1);
        var options = new TrainerOptions
        {
            Epochs = 2, BatchSize = 16, FrozenLayers = frozen, Optimizer = new AdamOptimizer(1e-2f, weightDecay: 0.1f), Backend = new TorchSharpBackend(),
        };

        new Trainer(options).Fit(network, data, SyntheticData.Classes(network.InputShape, count: 16, classes: 3, seed: 2));

        CollectionAssert.AreEqual(before, State(network, frozen));
        CollectionAssert.AreNotEqual(head, State(network, ["dense2"]));
    }

    [TestMethod]
    public void HeadOnlyTrainingGivesTheManagedEnginesWeights()
    {
        // Dropout is frozen too (only dense2 trains), so the two engines' different dropout masks play no part.
        var managed = Backbone();
        var torch = Backbone();
        var data = SyntheticData.Classes(managed.InputShape, count: 48, classes: 3, seed: 3);
        TrainerOptions Options(ITrainingBackend? backend) => new()
        {
            Epochs = 3, BatchSize = 8, Seed = 1, TrainableLayers = ["dense2"], Optimizer = new SgdOptimizer(0.1f, momentum: 0.9f, weightDecay: 1e-2f), Backend = backend,
        };

        new Trainer(Options(null)).Fit(managed, data);
        new Trainer(Options(new TorchSharpBackend())).Fit(torch, data);

        CollectionAssert.AreEqual(State(Backbone(), ["conv1", "bn1", "dense1"]), State(torch, ["conv1", "bn1", "dense1"]));
        TrainingParityTests.AssertSameState(managed, torch);
    }

    [TestMethod]
    public void FrozenLayersInTheMiddlePassGradientsToTheLayersBeforeThemOnBothBackends()
    {
        // A frozen BatchNorm normalizes with its running statistics in training too; the convolution before it still learns.
        var managed = Backbone();
        var torch = Backbone();
        string[] frozen = ["bn1", "dense1", "dropout1"];
        var data = SyntheticData.Classes(managed.InputShape, count: 48, classes: 3, seed: 4);
        TrainerOptions Options(ITrainingBackend? backend) => new()
        {
            Epochs = 2, BatchSize = 8, FrozenLayers = frozen, Optimizer = new AdamOptimizer(1e-2f), Backend = backend,
        };

        new Trainer(Options(null)).Fit(managed, data);
        new Trainer(Options(new TorchSharpBackend())).Fit(torch, data);

        CollectionAssert.AreEqual(State(Backbone(), frozen.Take(2)), State(torch, frozen.Take(2)));
        CollectionAssert.AreEqual(State(Backbone(), frozen.Take(2)), State(managed, frozen.Take(2)));
        CollectionAssert.AreNotEqual(State(Backbone(), ["conv1"]), State(managed, ["conv1"]));
        TrainingParityTests.AssertSameState(managed, torch);
    }

    private static float[] State(Network network, IEnumerable<string> layers) =>
        layers.SelectMany(name => network.Nodes.Single(n => n.Layer.Name == name).Layer is var layer
            ? layer.Parameters.Concat(layer.Buffers).SelectMany(p => p.Value.Span.ToArray())
            : []).ToArray();
}
