using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.Structure;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// ML.NET's pretrained ResNet18 (CNTK 2.6, IR 3, opset 8; NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0)
/// imports through <see cref="OnnxModel.Load(string)"/> and computes what ONNX Runtime computes from the same file.
/// </summary>
[TestClass]
public sealed class OnnxResNet18ImportTests
{
    /// <summary>The largest difference allowed, relative to the largest output.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>Gets the context, for logging the differences.</summary>
    public TestContext TestContext { get; set; } = null!;

    /// <summary>The backbone imports with its CNTK quirks (a fixed batch of 1, asymmetric pads, spatial BatchNorm, a 7x7 AveragePool) and matches ONNX Runtime.</summary>
    [TestMethod]
    public void Load_MlNetResNet18_MatchesOnnxRuntimeOnTheSameInput()
    {
        string path = DnnImageModels.ResNet18;
        var input = MeanSubtracted(DnnImageModels.Pixels(seed: 18));

        var network = OnnxModel.Load(path);
        var actual = network.Forward(input);
        var expected = TorchvisionFixtures.RunOnnxRuntime(path, input);

        CollectionAssert.AreEqual(new[] { 3, 224, 224 }, network.InputShape);
        CollectionAssert.AreEqual(new[] { 512, 1, 1 }, network.OutputShape);
        Assert.AreEqual(22, network.Nodes.Count(n => n.Layer is Conv2d));
        Assert.AreEqual(22, network.Nodes.Count(n => n.Layer is BatchNorm));
        Assert.AreEqual(9, network.Nodes.Count(n => n.Layer is global::Microsoft.ML.Pruning.Networks.Add));
        double relative = TorchvisionFixtures.RelativeDifference(expected, actual);
        TestContext.WriteLine($"ResNet18 (CNTK, opset 8): max |ours - ONNX Runtime| = {MaximumAbsoluteDifference(expected, actual):E2}, relative to the largest output {relative:E2}");
        Assert.IsTrue(relative <= Tolerance, $"relative difference {relative:E2} exceeds {Tolerance:E0}");

        // The file fixes the batch at 1; the network runs any batch, each sample as on its own.
        var second = MeanSubtracted(DnnImageModels.Pixels(seed: 81));
        float[] first = actual.Span.ToArray(), alone = network.Forward(second).Span.ToArray();
        var pair = network.Forward(FloatTensor.FromValues([.. input.Span, .. second.Span], 2, 3, 224, 224));
        TestSupport.TensorAssert.AllClose(first, pair.Span[..512], 1e-5, 1e-6, "first sample of a batch of 2");
        TestSupport.TensorAssert.AllClose(alone, pair.Span[512..], 1e-5, 1e-6, "second sample of a batch of 2");
    }

    /// <summary>Returns the largest absolute difference.</summary>
    /// <param name="expected">The reference.</param>
    /// <param name="actual">The values under test.</param>
    /// <returns>max |actual - expected|.</returns>
    internal static double MaximumAbsoluteDifference(FloatTensor expected, FloatTensor actual)
    {
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs((double)actual.Span[i] - expected.Span[i]));
        }

        return worst;
    }

    /// <summary>Pixels around zero, as the backbone sees them after the preprocessing (BGR minus the mean image, about ±128).</summary>
    private static FloatTensor MeanSubtracted(FloatTensor pixels)
    {
        var values = pixels.Span.ToArray().Select(v => v - 115f).ToArray();
        return FloatTensor.FromValues(values, pixels.Shape);
    }
}
