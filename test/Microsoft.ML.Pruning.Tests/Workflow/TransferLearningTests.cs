using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Workflow;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Workflow;

/// <summary>A pretrained stage with a new head, head-only epochs, frozen layers and input normalisation (issue 16, items 2-4).</summary>
[TestClass]
public sealed class TransferLearningTests
{
    private static readonly string[] Backbone = ["conv1", "bn1", "conv2", "bn2"];

    /// <summary>A small "pretrained" CNN whose old classifier scores 5 classes; the data have 3.</summary>
    internal static Network Pretrained() => new NetworkBuilder(3, 8, 8)
        .Conv2d(6, 3, padding: 1).BatchNorm().Relu()
        .Conv2d(6, 3, padding: 1).BatchNorm().Relu()
        .GlobalAvgPool().Flatten().Dense(5).Build(seed: 3);

    /// <summary>Seeded images of 3 classes: a class prototype plus noise, values as pixels 0 to 255.</summary>
    internal static Dataset Images(int[] shape, int count, int classes, int seed)
    {
        var random = new Random(seed);
        int width = FloatTensor.ComputeLength(shape);
        var prototypes = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, width).Select(_ => random.NextSingle() * 255).ToArray()).ToArray();
        var features = new float[count * width];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = n % classes;
            for (int i = 0; i < width; i++)
            {
                features[(n * width) + i] = Math.Clamp(prototypes[labels[n]][i] + (random.NextSingle() * 160) - 80, 0, 255);
            }
        }

        return Dataset.FromArray(features, shape, labels, classes);
    }

    [TestMethod]
    public void HeadOnlyEpochs_LeaveTheBackbonesWeightsAndStatisticsBitForBit_AndTrainTheNewHead()
    {
        var stage = new PretrainedStage(Pretrained(), "network", seed: 1)
        {
            Head = new ClassifierHead(),
            Training = new StageTrainingOptions(2) { HeadOnlyEpochs = 2, LearningRate = 0.01, BatchSize = 16 },
        };
        var initialHead = State(stage.Adapt(3).Network, ["head_output"]);

        var result = StageRunner.Run(stage, null, Images([3, 8, 8], 96, 3, seed: 2));

        CollectionAssert.AreEqual(State(Pretrained(), Backbone), State(result.Network, Backbone), "weights, BatchNorm statistics");
        CollectionAssert.AreNotEqual(initialHead, State(result.Network, ["head_output"]));
        CollectionAssert.AreEqual(new[] { 3 }, result.Network.OutputShape);
        Assert.IsFalse(result.Network.Nodes.Any(n => n.Layer.Name == "dense1"), "the old classifier is cut off");
        Assert.AreEqual("train head", result.Report.Steps.Single().Phase);
    }

    [TestMethod]
    public void AfterTheHeadOnlyEpochs_TheRestTrainEveryLayerThatIsNotFrozen()
    {
        var stage = new PretrainedStage(Pretrained(), "network", seed: 1)
        {
            Head = new ClassifierHead { HiddenUnits = 8, DropoutProbability = 0.2 },
            Training = new StageTrainingOptions(3) { HeadOnlyEpochs = 1, LearningRate = 0.01, BatchSize = 16, FrozenLayers = ["conv1", "bn1"] },
        };

        var result = StageRunner.Run(stage, null, Images([3, 8, 8], 96, 3, seed: 2));

        CollectionAssert.AreEqual(new[] { "train head", "train" }, result.StageReports[0].Steps.Select(s => s.Phase).ToArray());
        CollectionAssert.AreEqual(State(Pretrained(), ["conv1", "bn1"]), State(result.Network, ["conv1", "bn1"]), "frozen throughout");
        CollectionAssert.AreNotEqual(State(Pretrained(), ["conv2", "bn2"]), State(result.Network, ["conv2", "bn2"]), "fine-tuned after the head-only epoch");
    }

    [TestMethod]
    public void LayersFrozenByTheModelStage_StayFrozenAndWhole_ThroughPruningAndFineTuning_UnlessThePruningStageAsks()
    {
        var data = Images([3, 8, 8], 96, 3, seed: 2);
        var model = new PretrainedStage(Pretrained(), "network", seed: 1)
        {
            Head = new ClassifierHead(),
            Training = new StageTrainingOptions(1) { LearningRate = 0.01, BatchSize = 16, FrozenLayers = ["conv1", "bn1"] },
        };
        var pruning = new PruningStage(new StructuredPruning(new WeightNormImportance(WeightNorm.L1)), new OneShotSchedule(0.5), seed: 2) { MaximumAccuracyDrop = 1 };

        var result = StageRunner.Run([model, pruning, new FineTuningStage(new StageTrainingOptions(1) { BatchSize = 16 }, seed: 3)], data);
        var askedFor = StageRunner.Run([model, pruning with { PruneFrozenLayers = true }], data);

        CollectionAssert.AreEqual(State(Pretrained(), ["conv1", "bn1"]), State(result.Network, ["conv1", "bn1"]));
        Assert.AreEqual(3, ((Conv2d)result.Network["conv2"].Layer).OutChannels, "the layer that is not frozen is pruned");
        var skipped = result.StageReports[1].SkippedGroups.Single(g => g.Name == "conv1");
        StringAssert.Contains(skipped.Reason, "'conv1' is frozen");
        Assert.AreEqual(3, ((Conv2d)askedFor.Network["conv1"].Layer).OutChannels, "PruneFrozenLayers prunes it");
    }

    [TestMethod]
    public void ANormalisation_IsFoldedIntoTheResult_WhichTakesRawPixels()
    {
        var stage = new PretrainedStage(Pretrained(), "network", seed: 1) { InputNormalization = ImageNormalization.ImageNet, Head = new ClassifierHead() };
        var data = Images([3, 8, 8], 30, 3, seed: 4);
        var pixels = FloatTensor.FromValues(data.Features.Span[..(2 * 192)].ToArray(), 2, 3, 8, 8);
        var normalized = pixels.Span.ToArray();
        float[] mean = [0.485f, 0.456f, 0.406f], deviation = [0.229f, 0.224f, 0.225f];
        for (int i = 0; i < normalized.Length; i++)
        {
            int channel = i / 64 % 3;
            normalized[i] = ((normalized[i] / 255f) - mean[channel]) / deviation[channel];
        }

        var result = StageRunner.Run(stage, null, data);
        var expected = stage.Adapt(3).Network.Forward(FloatTensor.FromValues(normalized, 2, 3, 8, 8)).Span.ToArray();

        Assert.IsFalse(result.Network.Nodes.Any(n => n.Layer is ConstantOperation { Operation: BinaryOperation.Multiply }), "the scales are in the first convolution");
        TestSupport.TensorAssert.AllClose(expected, result.Network.Forward(pixels).Span, 1e-4, 1e-5, "raw pixels through the folded network");
    }

    [TestMethod]
    public void ALaterStage_TrainsTheUnfoldedNetwork_AndStartsFromTheSameModelTheModelStageLeft()
    {
        // ML.NET's preprocessing reorders the channels (RGB to BGR): folded between stages, unfolded to train.
        var data = Images([3, 8, 8], 60, 3, seed: 4);
        var model = new PretrainedStage(Pretrained(), "network", seed: 1)
        {
            Head = new ClassifierHead(),
            InputNormalization = ImageNormalization.FromOnnx(Onnx.DnnImageModels.Preprocess),
            Training = new StageTrainingOptions(1) { HeadOnlyEpochs = 1, BatchSize = 16 },
        };

        var result = StageRunner.Run([model, new FineTuningStage(new StageTrainingOptions(1) { BatchSize = 16, LearningRate = 1e-4 }, seed: 2)], data);

        Assert.AreEqual(result.StageReports[0].Final.Accuracy, result.StageReports[1].Baseline.Accuracy);
        Assert.AreEqual(result.StageReports[0].Final.Loss!.Value, result.StageReports[1].Baseline.Loss!.Value, 1e-5, "the unfolded network computes what the folded one does");
        Assert.AreEqual("preprocessing_offset", result.Network.Nodes[0].Layer.Name);
        Assert.IsInstanceOfType<Conv2d>(result.Network.Nodes[1].Layer, "folded again after training");
    }

    [TestMethod]
    public void ANetworkScoringOtherClasses_WithoutAHead_IsRefusedSayingHowToAskForOne()
    {
        var stage = new PretrainedStage(Pretrained(), "network", seed: 1);

        var error = Assert.ThrowsExactly<ArgumentException>(() => StageRunner.Run(stage, null, Images([3, 8, 8], 30, 3, seed: 4)));

        StringAssert.Contains(error.Message, "The data have 3 classes but the network scores 5");
        StringAssert.Contains(error.Message, "new ClassifierHead()");
    }

    [TestMethod]
    public void BadCutPointsFrozenNamesAndHeadOnlyEpochsWithoutAHead_AreRefusedBeforeAnyTraining()
    {
        var data = Images([3, 8, 8], 30, 3, seed: 4);
        var cut = Assert.ThrowsExactly<ArgumentException>(() => new PretrainedStage(Pretrained(), "network", 1) { Head = new ClassifierHead { CutAt = "nope" } });
        var frozen = Assert.ThrowsExactly<ArgumentException>(() => StageRunner.Run(
            new PretrainedStage(Pretrained(), "network", 1) { Head = new ClassifierHead(), Training = new StageTrainingOptions(1) { FrozenLayers = ["conv9"] } }, null, data));
        var headOnly = Assert.ThrowsExactly<ArgumentException>(() => StageRunner.Run(
            new TrainingStage(Pretrained(), new StageTrainingOptions(1) { HeadOnlyEpochs = 1 }, 1), null, Images([3, 8, 8], 30, 5, seed: 4)));
        var tooMany = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new StageTrainingOptions(1) { HeadOnlyEpochs = 2 });

        StringAssert.Contains(cut.Message, "'nope'");
        StringAssert.Contains(frozen.Message, "'conv9'");
        Assert.AreEqual("FrozenLayers", frozen.ParamName);
        StringAssert.Contains(headOnly.Message, "no new classifier head");
        Assert.AreEqual("HeadOnlyEpochs", tooMany.ParamName);
    }

    internal static float[] State(Network network, IEnumerable<string> layers) =>
        layers.SelectMany(name => network.Nodes.Single(n => n.Layer.Name == name).Layer is var layer
            ? layer.Parameters.Concat(layer.Buffers).SelectMany(p => p.Value.Span.ToArray())
            : []).ToArray();
}
