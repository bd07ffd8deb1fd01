using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Training;

/// <summary>Frozen layers stay as they were, bit for bit, and the rest trains as if they were constants (issue 16, item 3).</summary>
[TestClass]
public sealed class FrozenLayersTests
{
    /// <summary>conv1, bn1, relu1, maxpool1, flatten1, dense1 (hidden), dropout1, relu2, dense2 (head).</summary>
    internal static Network Backbone() => new NetworkBuilder(1, 8, 8)
        .Conv2d(4, 3, padding: 1).BatchNorm().Relu().MaxPool2d(2)
        .Flatten().Dense(8).Dropout(0.2f).Relu().Dense(3).Build(seed: 2);

    internal static Dataset Images(int count, int seed)
    {
        var random = new Random(seed);
        var features = Enumerable.Range(0, count * 64).Select(_ => (random.NextSingle() * 2) - 1).ToArray();
        return Dataset.FromArray(features, [1, 8, 8], Enumerable.Range(0, count).Select(i => i % 3).ToArray(), 3);
    }

    [TestMethod]
    public void Fit_FrozenLayers_KeepWeightsAndBatchNormStatisticsBitForBit_WithWeightDecay()
    {
        var network = Backbone();
        var frozen = new[] { "conv1", "bn1", "dense1" };
        var before = State(network, frozen);
        var head = State(network, ["dense2"]);
        var options = new TrainerOptions
        {
            Epochs = 2, BatchSize = 16, FrozenLayers = frozen,
            Optimizer = new AdamOptimizer(1e-2f, weightDecay: 0.1f),
        };

        new Trainer(options).Fit(network, Images(64, 1), Images(16, 2));

        CollectionAssert.AreEqual(before, State(network, frozen), "weights, biases and running statistics of the frozen layers");
        CollectionAssert.AreNotEqual(head, State(network, ["dense2"]), "the head trained");
        Assert.IsTrue(network.Nodes.All(n => !n.Layer.KeepInferenceBehaviour && n.Layer.ComputeParameterGradients), "the pass switches are put back");
    }

    [TestMethod]
    public void Fit_TrainableLayers_TrainOnlyThoseAndGiveTheSameWeightsAsFreezingTheRest()
    {
        var byTrainable = Backbone();
        var byFrozen = Backbone();
        var options = new TrainerOptions { Epochs = 2, BatchSize = 16, Optimizer = new SgdOptimizer(0.1f, momentum: 0.9f, weightDecay: 1e-2f), TrainableLayers = ["dense2"] };
        new Trainer(options).Fit(byTrainable, Images(48, 3));
        options.TrainableLayers = null;
        options.FrozenLayers = byFrozen.Nodes.Select(n => n.Layer.Name).Where(n => n != "dense2").ToArray();
        new Trainer(options).Fit(byFrozen, Images(48, 3));

        CollectionAssert.AreEqual(State(Backbone(), ["conv1", "bn1", "dense1"]), State(byTrainable, ["conv1", "bn1", "dense1"]));
        CollectionAssert.AreEqual(TrainerReuseAndLimitsTests.Weights(byFrozen), TrainerReuseAndLimitsTests.Weights(byTrainable));
    }

    [TestMethod]
    public void Fit_FrozenBackbone_TrainsTheHeadOnTheBackbonesInferenceFeatures()
    {
        // Freezing the backbone is training the head alone on the features the backbone gives at inference: the same
        // head trained on precomputed features (a network of the head alone) ends with the same weights.
        var network = new NetworkBuilder(6).Dense(5).BatchNorm().Dropout(0.5f).Relu().Dense(3).Build(seed: 4);
        var norm = (BatchNorm)network.Nodes[1].Layer;
        var random = new Random(5);
        for (int i = 0; i < 5; i++)
        {
            norm.RunningMean.Value.Span[i] = random.NextSingle() - 0.5f;
            norm.RunningVariance.Value.Span[i] = 0.5f + random.NextSingle();
        }

        var data = WaveformLike(40, 6, seed: 6);
        var backbone = NetworkSerializer.Clone(network);
        var headOnly = new NetworkBuilder(5).Dense(3).Build(seed: 0);
        ((Dense)headOnly.Nodes[0].Layer).Weight.Value.CopyFrom(((Dense)network.Nodes[4].Layer).Weight.Value);
        ((Dense)headOnly.Nodes[0].Layer).Bias!.Value.CopyFrom(((Dense)network.Nodes[4].Layer).Bias!.Value);
        var inferenceFeatures = new Microsoft.ML.Pruning.Tensors.FloatTensor(40, 5);
        backbone.Forward(data.Features, training: false);
        backbone.OutputOf(3)!.Span.CopyTo(inferenceFeatures.Span);
        var featureData = new Dataset(inferenceFeatures, data.Labels, 3);

        var options = new TrainerOptions { Epochs = 3, BatchSize = 8, Seed = 7, Optimizer = new SgdOptimizer(0.2f), TrainableLayers = ["dense2"] };
        new Trainer(options).Fit(network, data);
        options.TrainableLayers = null;
        new Trainer(options).Fit(headOnly, featureData);

        var trained = ((Dense)network.Nodes[4].Layer).Weight.Value.Span.ToArray();
        var reference = ((Dense)headOnly.Nodes[0].Layer).Weight.Value.Span.ToArray();
        for (int i = 0; i < trained.Length; i++)
        {
            Assert.AreEqual(reference[i], trained[i], 1e-6f, $"head weight {i}");
        }
    }

    [TestMethod]
    public void Fit_AFrozenLayerNameTheNetworkLacks_FailsBeforeTrainingNamingIt()
    {
        var network = Backbone();
        var start = TrainerReuseAndLimitsTests.Weights(network);
        var e = Assert.ThrowsException<ArgumentException>(() =>
            new Trainer(new TrainerOptions { FrozenLayers = ["conv1", "backbone.layer4"] }).Fit(network, Images(16, 1)));
        Assert.AreEqual(nameof(TrainerOptions.FrozenLayers), e.ParamName);
        StringAssert.Contains(e.Message, "'backbone.layer4'");
        StringAssert.Contains(e.Message, "conv1, bn1");
        CollectionAssert.AreEqual(start, TrainerReuseAndLimitsTests.Weights(network));

        var trainable = Assert.ThrowsException<ArgumentException>(() =>
            new Trainer(new TrainerOptions { TrainableLayers = ["classifier"] }).Fit(network, Images(16, 1)));
        Assert.AreEqual(nameof(TrainerOptions.TrainableLayers), trainable.ParamName);
        StringAssert.Contains(trainable.Message, "'classifier'");
    }

    internal static float[] State(Network network, IEnumerable<string> layers) =>
        layers.SelectMany(name => network.Nodes.Single(n => n.Layer.Name == name).Layer is var layer
            ? layer.Parameters.Concat(layer.Buffers).SelectMany(p => p.Value.Span.ToArray())
            : []).ToArray();

    private static Dataset WaveformLike(int count, int width, int seed)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, width).Select(_ => (random.NextSingle() * 4) - 2).ToArray()).ToArray();
        return Dataset.FromArrays(rows, Enumerable.Range(0, count).Select(i => i % 3).ToArray(), 3);
    }
}
