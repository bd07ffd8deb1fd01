using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Workflow;

namespace Microsoft.ML.Pruning.TorchSharp.Tests;

/// <summary>A pretrained stage's new head and frozen layers on the TorchSharp backend (issue 16, items 2 and 3).</summary>
[TestClass]
public sealed class TransferLearningTests
{
    private static Network Pretrained() => new NetworkBuilder(3, 8, 8)
        .Conv2d(6, 3, padding: 1).BatchNorm().Relu()
        .Conv2d(6, 3, padding: 1).BatchNorm().Relu()
        .GlobalAvgPool().Flatten().Dense(5).Build(seed: 3);

    [TestMethod]
    public void HeadOnlyEpochs_LeaveTheBackboneBitForBit_ThenTheRestTrainWhatIsNotFrozen()
    {
        var data = SyntheticData.Classes([3, 8, 8], count: 96, classes: 3, seed: 2);
        PretrainedStage Stage(int epochs, int headOnly) => new(Pretrained(), "network", seed: 1)
        {
            Head = new ClassifierHead { HiddenUnits = 8 },
            Training = new StageTrainingOptions(epochs) { HeadOnlyEpochs = headOnly, LearningRate = 0.01, BatchSize = 16, FrozenLayers = ["conv1", "bn1"], Backend = new TorchSharpBackend() },
        };
        var stage = Stage(2, 2);
        var initialHead = State(StageRunner.Run(stage with { Training = null }, null, data).Network, ["head_hidden", "head_output"]);

        var headOnly = StageRunner.Run(stage, null, data);
        var then = StageRunner.Run(Stage(3, 1), null, data);

        string[] backbone = ["conv1", "bn1", "conv2", "bn2"];
        CollectionAssert.AreEqual(State(Pretrained(), backbone), State(headOnly.Network, backbone), "weights and BatchNorm statistics after head-only epochs");
        CollectionAssert.AreNotEqual(initialHead, State(headOnly.Network, ["head_hidden", "head_output"]));
        CollectionAssert.AreEqual(State(Pretrained(), ["conv1", "bn1"]), State(then.Network, ["conv1", "bn1"]), "frozen layers after every epoch");
        CollectionAssert.AreNotEqual(State(Pretrained(), ["conv2", "bn2"]), State(then.Network, ["conv2", "bn2"]), "the rest fine-tuned after the head-only epoch");
    }

    private static float[] State(Network network, IEnumerable<string> layers) =>
        layers.SelectMany(name => network.Nodes.Single(n => n.Layer.Name == name).Layer is var layer
            ? layer.Parameters.Concat(layer.Buffers).SelectMany(p => p.Value.Span.ToArray())
            : []).ToArray();
}
