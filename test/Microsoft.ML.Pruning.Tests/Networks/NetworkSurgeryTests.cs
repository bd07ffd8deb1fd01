using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.Onnx;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

/// <summary>Network surgery for transfer learning: another input size, a cut at a feature output, a new head (issue 16, item 2).</summary>
[TestClass]
public sealed class NetworkSurgeryTests
{
    private static readonly Lazy<Network> ResNet18 = new(() => OnnxModel.Load(DnnImageModels.ResNet18));

    [TestMethod]
    public void MlNetResNet18_TakesSmallerImages_ItsWholeMapAveragePoolBecomingAGlobalOne()
    {
        var resized = NetworkSurgery.WithInputShape(ResNet18.Value, [3, 64, 64]);

        CollectionAssert.AreEqual(new[] { 3, 64, 64 }, resized.InputShape);
        CollectionAssert.AreEqual(new[] { 512, 1, 1 }, resized.OutputShape);
        Assert.IsInstanceOfType<GlobalAvgPool>(resized.Nodes[^1].Layer);
        Assert.AreEqual("Pooling395", resized.Nodes[^1].Layer.Name);
        Assert.IsInstanceOfType<AvgPool2d>(ResNet18.Value.Nodes[^1].Layer, "the original is left alone");
        Assert.IsTrue(resized.MultiplyAdds < ResNet18.Value.MultiplyAdds / 10, $"{resized.MultiplyAdds:N0} multiply-adds at 64x64");
    }

    [TestMethod]
    public void AWholeMapAveragePool_AndTheGlobalPoolThatReplacesIt_ComputeTheSame()
    {
        // At the original size the replacement changes nothing: a 4x4 average over a 4x4 map is the global average.
        var network = new NetworkBuilder(2, 8, 8).Conv2d(3, 3, padding: 1).Relu().MaxPool2d(2).Build(seed: 1);
        network.Add(new AvgPool2d(4));
        var input = Random(seed: 2, 5, 2, 8, 8);
        var original = network.Forward(input).Span.ToArray();

        var global = NetworkSurgery.WithInputShape(network, [2, 16, 16]);
        var back = NetworkSurgery.WithInputShape(global, [2, 8, 8]);

        Assert.IsInstanceOfType<GlobalAvgPool>(global.Nodes[^1].Layer);
        CollectionAssert.AreEqual(new[] { 3, 1, 1 }, global.OutputShape);
        TensorAssert.AllClose(original, back.Forward(input).Span, 1e-6, 1e-6, "global pooling at the original size");
    }

    [TestMethod]
    public void AnotherChannelCountOrASizeALayerCannotTake_IsRefusedNamingTheShapes()
    {
        var network = new NetworkBuilder(3, 8, 8).Conv2d(4, 3).Relu().Flatten().Dense(2).Build(seed: 1);

        var channels = Assert.ThrowsExactly<ArgumentException>(() => NetworkSurgery.WithInputShape(network, [1, 8, 8]));
        var size = Assert.ThrowsExactly<ArgumentException>(() => NetworkSurgery.WithInputShape(network, [3, 16, 16]));

        StringAssert.Contains(channels.Message, "[1, 8, 8]");
        StringAssert.Contains(size.Message, "[3, 16, 16]");
        StringAssert.Contains(size.Message, "dense1");
    }

    [TestMethod]
    public void TheDefaultCut_IsTheLastPoolingOutput_OrTheInputOfTheLastDense()
    {
        var featurizer = ResNet18.Value;
        var classifier = new NetworkBuilder(3, 8, 8).Conv2d(4, 3, padding: 1).Relu().GlobalAvgPool().Flatten().Dense(10).Build(seed: 1);
        classifier.Add(new Softmax("softmax"));
        var mlp = new NetworkBuilder(6).Dense(5).Relu().Dense(3).Build(seed: 1);

        Assert.AreEqual(featurizer.Nodes.Count - 1, NetworkSurgery.FindCut(featurizer, null, "CutAt"));
        Assert.AreEqual("gap1", classifier.Nodes[NetworkSurgery.FindCut(classifier, null, "CutAt")].Layer.Name);
        Assert.AreEqual("relu1", mlp.Nodes[NetworkSurgery.FindCut(mlp, null, "CutAt")].Layer.Name);
        Assert.AreEqual(1, NetworkSurgery.FindCut(classifier, "relu1", "CutAt"));
    }

    [TestMethod]
    public void ACutAtALayerThatDoesNotExist_OrThatGivesNoFeatures_IsRefusedNamingIt()
    {
        var network = new Network(2, 3, 4, 5);
        network.Add(new Relu("relu"));

        var missing = Assert.ThrowsExactly<ArgumentException>(() => NetworkSurgery.FindCut(ResNet18.Value, "Pooling999", "Head.CutAt"));
        var notFeatures = Assert.ThrowsExactly<ArgumentException>(() => NetworkSurgery.FindCut(network, "relu", "Head.CutAt"));

        StringAssert.Contains(missing.Message, "'Pooling999'");
        StringAssert.Contains(missing.Message, "'Pooling395' [512, 1, 1]");
        Assert.AreEqual("Head.CutAt", missing.ParamName);
        StringAssert.Contains(notFeatures.Message, "layer 'relu' gives [2, 3, 4, 5]");
    }

    [TestMethod]
    public void ACut_KeepsTheNodesTheCutNeeds_AndTheirWeights()
    {
        var network = new NetworkBuilder(3, 8, 8).Conv2d(4, 3, padding: 1).Relu().GlobalAvgPool().Flatten().Dense(10).Build(seed: 1);
        var input = Random(seed: 3, 2, 3, 8, 8);
        network.Forward(input);

        var cut = NetworkSurgery.Cut(network, 2);

        Assert.AreEqual(3, cut.Nodes.Count);
        CollectionAssert.AreEqual(new[] { 4, 1, 1 }, cut.OutputShape);
        var full = new NetworkBuilder(3, 8, 8).Conv2d(4, 3, padding: 1).Relu().GlobalAvgPool().Build(seed: 1);
        TensorAssert.AllClose(full.Forward(input).Span, cut.Forward(input).Span, 0, 0, "the cut computes the layers it kept");
    }

    [TestMethod]
    public void ANewHead_IsSizedToTheClasses_AfterAFlattenOfTheFeatureMap()
    {
        var network = NetworkSurgery.Cut(new NetworkBuilder(3, 8, 8).Conv2d(4, 3, padding: 1).Relu().GlobalAvgPool().Build(seed: 1), 2);

        var names = NetworkSurgery.AppendHead(network, classes: 7, hiddenUnits: 5, dropoutProbability: 0.2, seed: 1);

        CollectionAssert.AreEqual(new[] { "head_flatten", "head_hidden", "head_relu", "head_dropout", "head_output" }, names.ToArray());
        CollectionAssert.AreEqual(new[] { 7 }, network.OutputShape);
        Assert.AreEqual(5, ((Dense)network["head_output"].Layer).Inputs);
    }

    [TestMethod]
    public void ANewHeadsWeightsAndBiases_FollowPyTorchsLinearInitialisation()
    {
        // torch.nn.Linear.reset_parameters: kaiming_uniform_(weight, a=sqrt(5)), so gain = sqrt(2 / (1 + a²)) and
        // bound = gain · sqrt(3 / fan_in) = 1 / sqrt(fan_in); the bias is drawn from U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
        const int FanIn = 512;
        double gain = Math.Sqrt(2.0 / (1 + 5.0));
        double bound = gain * Math.Sqrt(3.0 / FanIn);
        var network = new Network(FanIn, 1, 1);
        NetworkSurgery.AppendHead(network, classes: 10, hiddenUnits: 256, dropoutProbability: 0, seed: 7);
        var hidden = (Dense)network["head_hidden"].Layer;
        var output = (Dense)network["head_output"].Layer;

        AssertUniform(hidden.Weight.Value.Span.ToArray(), bound, "hidden weights");
        AssertUniform(hidden.Bias!.Value.Span.ToArray(), bound, "hidden biases");
        AssertUniform(output.Weight.Value.Span.ToArray(), 1 / Math.Sqrt(256), "output weights (fan-in 256)");
        Assert.IsTrue(output.Bias!.Value.Span.ToArray().All(b => Math.Abs(b) <= 1 / Math.Sqrt(256)), "output biases within their bound");
    }

    /// <summary>Kolmogorov-Smirnov test against U(-bound, bound) at the 0.1 % level, plus the range.</summary>
    private static void AssertUniform(float[] values, double bound, string what)
    {
        Assert.IsTrue(values.All(v => Math.Abs(v) <= bound), $"{what}: every value within ±{bound:G4}");
        var sorted = values.Select(v => (double)v).Order().ToArray();
        double distance = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            double cdf = (sorted[i] + bound) / (2 * bound);
            distance = Math.Max(distance, Math.Max(((i + 1.0) / sorted.Length) - cdf, cdf - ((double)i / sorted.Length)));
        }

        double critical = 1.95 / Math.Sqrt(sorted.Length);
        Assert.IsTrue(distance < critical, $"{what}: Kolmogorov-Smirnov distance {distance:F4} against U(±{bound:G4}) is below {critical:F4} (n = {sorted.Length})");
        Assert.IsTrue(sorted[^1] > 0.9 * bound && sorted[0] < -0.9 * bound || sorted.Length < 100, $"{what}: the values fill the range ±{bound:G4}");
    }

    private static FloatTensor Random(int seed, params int[] shape)
    {
        var random = new Random(seed);
        var values = new float[FloatTensor.ComputeLength(shape)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextSingle() * 2) - 1;
        }

        return FloatTensor.FromValues(values, shape);
    }
}
