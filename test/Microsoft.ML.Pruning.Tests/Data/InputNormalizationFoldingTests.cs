using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Data;

/// <summary>The feature scaling folded into the first dense layer: the folded model on raw features scores as the original on scaled ones.</summary>
[TestClass]
public sealed class InputNormalizationFoldingTests
{
    [TestMethod]
    [DataRow(NormalizationKind.Standardize)]
    [DataRow(NormalizationKind.MinMax)]
    public void TryFold_DenseFirstLayer_RawFeaturesScoreAsScaledOnes(NormalizationKind kind)
    {
        var raw = RawData();
        var normalizer = Normalizer.Fit(raw, kind);
        var network = new NetworkBuilder(3).Dense(5).Relu().Dense(2).Build(seed: 4);
        float[] expected = network.Forward(normalizer.Apply(raw).Features).Span.ToArray(); // copied: the network reuses its output buffer

        Assert.IsTrue(InputNormalizationFolding.TryFold(network, normalizer));

        TensorAssert.AllClose(expected, network.Forward(raw.Features).Span, 1e-4, 1e-4, "folded scores");
    }

    [TestMethod]
    public void TryFold_FlattenThenDense_FoldsThroughTheFlatten()
    {
        var raw = RawData();
        var images = raw.Reshape(1, 1, 3);
        var normalizer = Normalizer.Fit(images, NormalizationKind.Standardize);
        var network = new NetworkBuilder(1, 1, 3).Flatten().Dense(4).Relu().Dense(2).Build(seed: 2);
        float[] expected = network.Forward(normalizer.Apply(images).Features).Span.ToArray();

        Assert.IsTrue(InputNormalizationFolding.TryFold(network, normalizer));

        TensorAssert.AllClose(expected, network.Forward(images.Features).Span, 1e-4, 1e-4, "folded scores");
    }

    [TestMethod]
    public void TryFold_ConvolutionFirst_LeavesTheNetworkUnchanged()
    {
        var images = Dataset.FromArray(Enumerable.Range(0, 2 * 16).Select(i => (float)(i * 7 % 11)).ToArray(), [1, 4, 4], [0, 1]);
        var normalizer = Normalizer.Fit(images, NormalizationKind.Standardize);
        var network = new NetworkBuilder(1, 4, 4).Conv2d(2, 3).Relu().Flatten().Dense(2).Build(seed: 2);
        var before = network.Forward(images.Features).Span.ToArray();

        Assert.IsFalse(InputNormalizationFolding.CanFold(network, normalizer));
        Assert.IsFalse(InputNormalizationFolding.TryFold(network, normalizer));

        CollectionAssert.AreEqual(before, network.Forward(images.Features).Span.ToArray());
    }

    [TestMethod]
    public void Carry_ConvolutionFirst_PrependsABatchNormThatTakesRawImages()
    {
        var images = TwoChannelImages();
        var normalizer = Normalizer.FitPerChannel(images, NormalizationKind.Standardize);
        var network = new NetworkBuilder(2, 3, 3).Conv2d(3, 2, padding: 1).Relu().Flatten().Dense(2).Build(seed: 5);
        float[] expected = network.Forward(normalizer.Apply(images).Features).Span.ToArray();

        var carried = InputNormalizationFolding.Carry(network, normalizer);

        Assert.AreEqual(InputNormalizationFolding.LayerName, carried.Nodes[0].Layer.Name);
        Assert.IsInstanceOfType<BatchNorm>(carried.Nodes[0].Layer);
        TensorAssert.AllClose(expected, carried.Forward(images.Features).Span, 1e-4, 1e-4, "carried scores on raw images");
    }

    [TestMethod]
    public void Carry_ConvolutionFirst_OnnxRuntimeScoresRawImagesAsTheNormalizedNetwork()
    {
        using var directory = new TempDirectory();
        var images = TwoChannelImages();
        var normalizer = Normalizer.FitPerChannel(images, NormalizationKind.MinMax);
        var network = new NetworkBuilder(2, 3, 3).Conv2d(3, 2).Relu().Flatten().Dense(2).Build(seed: 6);
        float[] expected = network.Forward(normalizer.Apply(images).Features).Span.ToArray();
        string path = directory.File("carried.onnx");

        OnnxModel.Save(InputNormalizationFolding.Carry(network, normalizer), path);

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
        var input = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(images.Features.Span.ToArray(), [images.Count, 2, 3, 3]);
        using var results = session.Run([Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), input)]);
        TensorAssert.AllClose(expected, results.First().AsEnumerable<float>().ToArray(), 1e-4, 1e-4, "ONNX Runtime on raw images");
    }

    [TestMethod]
    public void Carry_DenseFirst_FoldsInPlaceAndAddsNoLayer()
    {
        var raw = RawData();
        var normalizer = Normalizer.Fit(raw, NormalizationKind.Standardize);
        var network = new NetworkBuilder(3).Dense(4).Relu().Dense(2).Build(seed: 3);

        Assert.AreSame(network, InputNormalizationFolding.Carry(network, normalizer));
        Assert.AreEqual(3, network.Nodes.Count);
    }

    [TestMethod]
    public void Carry_PerPixelStatisticsBeforeAConvolution_ThrowsNamingFitPerChannel()
    {
        var images = TwoChannelImages();
        var normalizer = Normalizer.Fit(images, NormalizationKind.Standardize);
        var network = new NetworkBuilder(2, 3, 3).Conv2d(3, 2).Relu().Flatten().Dense(2).Build(seed: 5);

        var e = Assert.ThrowsException<ArgumentException>(() => InputNormalizationFolding.Carry(network, normalizer));

        StringAssert.Contains(e.Message, "FitPerChannel");
        Assert.AreEqual("normalizer", e.ParamName);
    }

    /// <summary>Five 2x3x3 images: channel 0 around 50, channel 1 around -300, varying per pixel.</summary>
    private static Dataset TwoChannelImages()
    {
        var random = new Random(3);
        var values = new float[5 * 18];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (i % 18 < 9 ? 50 : -300) + (float)(random.NextDouble() * 20);
        }

        return Dataset.FromArray(values, [2, 3, 3], [0, 1, 0, 1, 1]);
    }

    /// <summary>Features on very different scales (around 1, 100 and -1000).</summary>
    private static Dataset RawData()
    {
        var random = new Random(9);
        var rows = Enumerable.Range(0, 12).Select(_ => new[] { (float)random.NextDouble(), 100 + (float)(random.NextDouble() * 50), -1000 + (float)(random.NextDouble() * 300) }).ToArray();
        return Dataset.FromArrays(rows, Enumerable.Range(0, 12).Select(i => i % 2).ToArray());
    }
}
