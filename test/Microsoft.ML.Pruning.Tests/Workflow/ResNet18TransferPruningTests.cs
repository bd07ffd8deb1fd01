using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tests.Onnx;
using Microsoft.ML.Pruning.Workflow;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Workflow;

/// <summary>
/// Transfer-learning pruning of ML.NET's ResNet18 (CNTK, opset 8) with a new head, at 32x32: Taylor and L1 filter norm
/// remove filters through every residual block, and the result still takes raw pixels (issue 16, item 5).
/// </summary>
[TestClass]
public sealed class ResNet18TransferPruningTests
{
    private static readonly Lazy<Network> ResNet18 = new(() => OnnxModel.Load(DnnImageModels.ResNet18));

    [TestMethod]
    public void TheResidualGroupsOfTheCntkGraph_AreFound()
    {
        var stage = Model();
        var network = stage.Adapt(10).Network;

        var groups = PruningGroups.Find(network);
        var residual = groups.Where(g => g.Producers.Count > 1).ToArray();

        // CNTK's graph has 9 residual blocks (22 convolutions, 9 Adds): the stem and stage 1's two blocks share one
        // group (64 channels); stages 2 and 3 each join a downsampling convolution and two blocks (128, 256 channels),
        // stage 4 a downsampling convolution and three blocks (512); the first convolution of each block is a group of its own.
        CollectionAssert.AreEqual(new[] { 64, 128, 256, 512 }, residual.Select(g => g.UnitCount).ToArray());
        CollectionAssert.AreEqual(new[] { 3, 3, 3, 4 }, residual.Select(g => g.Producers.Count).ToArray(), string.Join("; ", residual.Select(g => g.Name)));
        Assert.AreEqual(9, groups.Count(g => g.Producers.Count == 1 && g.Producers[0].Layer is Conv2d));
        Assert.AreEqual(0, PruningGroups.FindSkipped(network).Count(g => g.Name != "head_output"));
    }

    [TestMethod]
    [DataRow("Taylor")]
    [DataRow("L1")]
    public void TaylorAndFilterNorm_PruneEveryResidualBlock_AndTheResultStillTakesRawPixels(string criterion)
    {
        var data = TransferLearningTests.Images([3, 32, 32], 40, 10, seed: 8);
        IImportance importance = criterion == "Taylor" ? new TaylorImportance() : new WeightNormImportance(WeightNorm.L1);
        var pruning = new PruningStage(new StructuredPruning(importance), new OneShotSchedule(0.3), seed: 2)
        {
            MaximumAccuracyDrop = 1,
            CalibrationSamples = 16,
            FineTuning = new StageTrainingOptions(1) { BatchSize = 20 },
        };

        var result = StageRunner.Run([Model(), pruning], data);

        var before = Model().Adapt(10).Network;
        Assert.IsTrue(result.PrunedAnything);
        foreach (var add in result.Network.Nodes.Where(n => n.Layer is Add))
        {
            int original = before[add.Layer.Name].OutputShape[0];
            Assert.IsTrue(add.OutputShape[0] < original, $"{add.Layer.Name}: {add.OutputShape[0]} of {original} channels");
        }

        Assert.IsTrue(result.Network.MultiplyAdds < 0.6 * before.MultiplyAdds, $"{result.Network.MultiplyAdds:N0} of {before.MultiplyAdds:N0} multiply-adds");
        CollectionAssert.AreEqual(new[] { 3, 32, 32 }, result.Network.InputShape);
        CollectionAssert.AreEqual(new[] { 10 }, result.Network.OutputShape);
        Assert.AreEqual("preprocessing_offset", result.Network.Nodes[0].Layer.Name, "the normalisation stays folded");
        var output = result.Network.Forward(global::Microsoft.ML.Pruning.Tensors.FloatTensor.FromValues(data.GetSample(0).ToArray(), 1, 3, 32, 32));
        Assert.IsTrue(output.Span.ToArray().All(float.IsFinite));
    }

    private static PretrainedStage Model() => new(ResNet18.Value, "ONNX model ResNet18.onnx", seed: 1)
    {
        InputShape = [3, 32, 32],
        Head = new ClassifierHead(),
        InputNormalization = ImageNormalization.FromOnnx(DnnImageModels.Preprocess),
        Training = new StageTrainingOptions(1) { HeadOnlyEpochs = 1, BatchSize = 20 },
    };
}
