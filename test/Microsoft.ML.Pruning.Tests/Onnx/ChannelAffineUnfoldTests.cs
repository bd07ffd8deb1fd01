using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>Unfolding a folded preprocessing (so that training steps the first convolution at its own scale), and ML.NET's mean image at another size.</summary>
[TestClass]
public sealed class ChannelAffineUnfoldTests
{
    private static Network Network() => new NetworkBuilder(3, 6, 6).Conv2d(4, 3, padding: 1).Relu().GlobalAvgPool().Flatten().Dense(2).Build(seed: 5);

    [TestMethod]
    public void Unfold_GivesBackTheNetworkThatFoldWasGiven()
    {
        var affine = ChannelAffine.FromMeanAndStandardDeviation([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f], 1f / 255);
        var original = Network();

        var folded = affine.Fold(original);
        var unfolded = affine.Unfold(folded);

        CollectionAssert.AreEqual(original.InputShape, unfolded.InputShape);
        Assert.AreEqual(original.Nodes.Count, unfolded.Nodes.Count);
        TensorAssert.AllClose(((Conv2d)original.Nodes[0].Layer).Weight.Value.Span, ((Conv2d)unfolded.Nodes[0].Layer).Weight.Value.Span, 1e-6, 0, "first convolution's weights");
        Assert.AreNotEqual(((Conv2d)original.Nodes[0].Layer).Weight.Value.Span[0], ((Conv2d)folded.Nodes[1].Layer).Weight.Value.Span[0], "Fold scaled them");
    }

    [TestMethod]
    public void MlNetsPreprocessing_AtAnotherImageSize_SubtractsEachChannelsMean()
    {
        var affine = ChannelAffine.Load(DnnImageModels.Preprocess);

        var small = affine.ForImageSize(32, 32);
        var pixels = FloatTensor.FromValues(Enumerable.Range(0, 3 * 32 * 32).Select(i => (float)(i % 256)).ToArray(), 1, 3, 32, 32);
        var output = small.Apply(pixels);

        Assert.AreSame(affine, affine.ForImageSize(224, 224), "the mean image at its own size");
        CollectionAssert.AreEqual(new[] { 2, 1, 0 }, small.Sources.ToArray(), "RGB to BGR");
        for (int c = 0; c < 3; c++)
        {
            double mean = affine.Offsets.Span.Slice(c * 224 * 224, 224 * 224).ToArray().Average(v => (double)v);
            Assert.AreEqual(pixels.Span[(small.Sources[c] * 1024) + 5] + mean, output.Span[(c * 1024) + 5], 1e-3, $"channel {c}");
        }
    }
}
