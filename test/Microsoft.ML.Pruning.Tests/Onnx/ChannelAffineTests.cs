using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.Structure;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// The per-channel preprocessing in front of a pretrained network: ML.NET's ResNetPreprocess.onnx (RGB to BGR, minus a
/// mean image) read, prepended to and folded into ML.NET's ResNet18, against ONNX Runtime running the two models in
/// sequence; ImageNet-style mean and deviation folded into a small CNN against applying it to the data.
/// </summary>
[TestClass]
public sealed class ChannelAffineTests
{
    /// <summary>Gets the context, for logging the differences.</summary>
    public TestContext TestContext { get; set; } = null!;

    /// <summary>ML.NET's preprocessing graph (opset 8: Split, Concat, Sub of a constant) imports and matches ONNX Runtime; it reads as BGR minus a mean image.</summary>
    [TestMethod]
    public void Load_MlNetResNetPreprocess_ImportsAndReadsAsReorderMinusMeanImage()
    {
        string path = DnnImageModels.Preprocess;
        var pixels = DnnImageModels.Pixels(seed: 3);

        var network = OnnxModel.Load(path);
        var expected = TorchvisionFixtures.RunOnnxRuntime(path, pixels);
        var preprocessing = ChannelAffine.Load(path);

        Assert.AreEqual(0.0, TorchvisionFixtures.RelativeDifference(expected, network.Forward(pixels)), 1e-7);
        Assert.AreEqual(0.0, TorchvisionFixtures.RelativeDifference(expected, preprocessing.Apply(pixels)), 1e-7);
        CollectionAssert.AreEqual(new[] { 2, 1, 0 }, preprocessing.Sources.ToArray());
        CollectionAssert.AreEqual(new[] { 1f, 1f, 1f }, preprocessing.Scales.ToArray());
        CollectionAssert.AreEqual(new[] { 3, 224, 224 }, preprocessing.Offsets.Shape);
    }

    /// <summary>ResNet18 with its preprocessing prepended, or folded into its first convolution, on raw pixels matches ONNX Runtime running both models in sequence.</summary>
    [TestMethod]
    public void PrependAndFold_ResNetPreprocessBeforeResNet18_MatchOnnxRuntimeRunningBothModels()
    {
        var pixels = DnnImageModels.Pixels(seed: 7);
        var preprocessed = TorchvisionFixtures.RunOnnxRuntime(DnnImageModels.Preprocess, pixels);
        var expected = TorchvisionFixtures.RunOnnxRuntime(DnnImageModels.ResNet18, preprocessed);
        var preprocessing = ChannelAffine.Load(DnnImageModels.Preprocess);
        var backbone = OnnxModel.Load(DnnImageModels.ResNet18);

        var prepended = preprocessing.Prepend(backbone);
        var folded = preprocessing.Fold(backbone);

        foreach (var (name, network) in new[] { ("prepended", prepended), ("folded", folded) })
        {
            var actual = network.Forward(pixels);
            double relative = TorchvisionFixtures.RelativeDifference(expected, actual);
            TestContext.WriteLine($"ResNetPreprocess + ResNet18, {name}: max |ours - ONNX Runtime| = {OnnxResNet18ImportTests.MaximumAbsoluteDifference(expected, actual):E2}, relative {relative:E2}");
            Assert.IsTrue(relative <= OnnxResNet18ImportTests.Tolerance, $"{name}: relative difference {relative:E2}");
        }

        // Saved as ONNX, the folded network runs in ONNX Runtime on raw pixels.
        using var folder = new TempDirectory();
        string saved = Path.Combine(folder.Path, "folded.onnx");
        OnnxModel.Save(folded, saved);
        double exported = TorchvisionFixtures.RelativeDifference(expected, TorchvisionFixtures.RunOnnxRuntime(saved, pixels));
        TestContext.WriteLine($"ResNetPreprocess + ResNet18, folded and saved, in ONNX Runtime: relative {exported:E2}");
        Assert.IsTrue(exported <= OnnxResNet18ImportTests.Tolerance, $"saved: relative difference {exported:E2}");

        // Folded: one offset layer (the mean image, moved to RGB order) before the reordered convolution; no slices.
        Assert.AreEqual(backbone.Nodes.Count + 1, folded.Nodes.Count);
        Assert.IsInstanceOfType<ConstantOperation>(folded.Nodes[0].Layer);
        Assert.IsInstanceOfType<Conv2d>(folded.Nodes[1].Layer);
        Assert.AreEqual(3, prepended.Nodes.Count(n => n.Layer is ChannelSlice));
        Assert.AreEqual(backbone.Nodes[0].Layer.Name, folded.Nodes[1].Layer.Name);
    }

    /// <summary>A mean and deviation per channel folded into a padded, strided convolution computes what the network computes on normalized images.</summary>
    [TestMethod]
    public void Fold_MeanAndDeviationIntoPaddedConvolution_EqualsNormalizingTheImages()
    {
        var network = new NetworkBuilder(3, 6, 5).Conv2d(4, 3, stride: 2, padding: 1).Relu().Flatten().Dense(2).Build(seed: 5);
        var preprocessing = ChannelAffine.FromMeanAndStandardDeviation([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f], pixelScale: 1f / 255);
        var images = FloatTensor.FromValues(Enumerable.Range(0, 2 * 3 * 6 * 5).Select(i => (float)((i * 37) % 256)).ToArray(), 2, 3, 6, 5);

        var expected = network.Forward(preprocessing.Apply(images));
        var folded = preprocessing.Fold(network);

        TensorAssert.AllClose(expected.Span, folded.Forward(images).Span, 1e-5, 1e-5, "folded");
        TensorAssert.AllClose(expected.Span, preprocessing.Prepend(network).Forward(images).Span, 1e-5, 1e-5, "prepended");
        Assert.AreEqual(network.Nodes.Count + 1, folded.Nodes.Count);

        // (255 / 255 − 0.485) / 0.229 for the first pixel of channel 0 equal to 255 → 2.2489.
        var one = preprocessing.Apply(FloatTensor.FromValues(Enumerable.Repeat(255f, 3 * 6 * 5).ToArray(), 1, 3, 6, 5));
        Assert.AreEqual((1 - 0.485) / 0.229, one.Span[0], 1e-5);
    }

    /// <summary>A network whose input feeds a Dense layer gets the preprocessing prepended instead.</summary>
    [TestMethod]
    public void Fold_NetworkNotStartingWithAConvolution_Prepends()
    {
        var network = new NetworkBuilder(2, 2, 2).Flatten().Dense(3).Build(seed: 1);
        var preprocessing = ChannelAffine.FromMeanAndStandardDeviation([1f, 2f], [2f, 4f]);
        var images = FloatTensor.FromValues([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], 1, 2, 2, 2);

        var folded = preprocessing.Fold(network);

        TensorAssert.AllClose(network.Forward(preprocessing.Apply(images)).Span, folded.Forward(images).Span, 1e-6, 1e-6, "prepended");
        Assert.AreEqual("preprocessing_scale", folded.Nodes[0].Layer.Name);
    }

    /// <summary>A preprocessing network with a layer that is not a per-channel affine map is refused naming the layer.</summary>
    [TestMethod]
    public void Read_NetworkWithANonAffineLayer_IsRefusedNamingTheLayer()
    {
        var network = new NetworkBuilder(3, 2, 2).Relu().Build(seed: 1);

        var error = Assert.ThrowsException<ArgumentException>(() => ChannelAffine.Read(network));

        StringAssert.Contains(error.Message, network.Nodes[0].Layer.Name);
        StringAssert.Contains(error.Message, "Relu");
    }
}
