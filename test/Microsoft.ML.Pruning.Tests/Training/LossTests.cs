using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Training;

[TestClass]
public sealed class LossTests
{
    [TestMethod]
    public void SoftmaxCrossEntropy_HandComputedBatch_MatchesLossAndGradient()
    {
        var logits = FloatTensor.FromValues([1f, 2f, 3f, 0f, 0f, 0f], 2, 3);
        var gradient = new FloatTensor(1);
        float loss = new SoftmaxCrossEntropyLoss().Compute(logits, [2, 0], gradient);

        // Row 1: -log(e^3 / (e + e^2 + e^3)) = 0.40760596; row 2: -log(1/3) = 1.09861229.
        Assert.AreEqual((0.40760596 + 1.09861229) / 2, loss, 1e-6);
        double z = Math.E + (Math.E * Math.E) + Math.Pow(Math.E, 3);
        float[] expected =
        [
            (float)(Math.E / z / 2), (float)(Math.E * Math.E / z / 2), (float)(((Math.Pow(Math.E, 3) / z) - 1) / 2),
            (float)((1.0 / 3 - 1) / 2), (float)(1.0 / 3 / 2), (float)(1.0 / 3 / 2),
        ];
        CollectionAssert.AreEqual(new[] { 2, 3 }, gradient.Shape);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], gradient.Span[i], 1e-6, $"gradient[{i}]");
        }
    }

    [TestMethod]
    public void SoftmaxCrossEntropy_HugeLogits_StaysFinite()
    {
        var logits = FloatTensor.FromValues([1000f, -1000f], 1, 2);
        float loss = new SoftmaxCrossEntropyLoss().Compute(logits, [1], null);
        Assert.AreEqual(2000f, loss, 1e-3);
    }

    [TestMethod]
    public void SoftmaxCrossEntropy_Gradient_MatchesFiniteDifferences() =>
        AssertGradientMatchesFiniteDifferences(new SoftmaxCrossEntropyLoss());

    [TestMethod]
    public void MeanSquaredError_Gradient_MatchesFiniteDifferences() =>
        AssertGradientMatchesFiniteDifferences(new MeanSquaredErrorLoss());

    [TestMethod]
    public void MeanSquaredError_OneHotLabels_MatchesHandComputedValue()
    {
        var output = FloatTensor.FromValues([0.5f, 0.2f, 0.9f, 0.1f], 2, 2);
        var gradient = new FloatTensor(2, 2);
        float loss = new MeanSquaredErrorLoss().Compute(output, [0, 1], gradient);

        // Differences to one-hot targets: (-0.5, 0.2), (0.9, -0.9); mean of squares = (0.25 + 0.04 + 0.81 + 0.81) / 4.
        Assert.AreEqual(1.91 / 4, loss, 1e-6);
        Assert.AreEqual(2 * -0.5 / 4, gradient.Span[0], 1e-6);
        Assert.AreEqual(2 * -0.9 / 4, gradient.Span[3], 1e-6);
    }

    [TestMethod]
    public void Compute_LabelOutOfRange_ThrowsNamingTheRange()
    {
        var output = new FloatTensor(1, 3);
        var error = Assert.ThrowsException<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropyLoss().Compute(output, [3], null));
        StringAssert.Contains(error.Message, "[0, 3)");
    }

    private static void AssertGradientMatchesFiniteDifferences(Loss loss)
    {
        var random = new Random(7);
        var output = new FloatTensor(4, 5);
        foreach (ref float v in output.Span)
        {
            v = (float)((random.NextDouble() * 4) - 2);
        }

        int[] labels = [0, 3, 4, 1];
        var gradient = new FloatTensor(1);
        loss.Compute(output, labels, gradient);
        const float eps = 1e-2f;
        for (int i = 0; i < output.Length; i++)
        {
            float saved = output.Span[i];
            output.Span[i] = saved + eps;
            double plus = loss.Compute(output, labels, null);
            output.Span[i] = saved - eps;
            double minus = loss.Compute(output, labels, null);
            output.Span[i] = saved;
            double numeric = (plus - minus) / (2 * eps);
            Assert.AreEqual(numeric, gradient.Span[i], 2e-3 * Math.Max(1, Math.Abs(numeric)), $"element {i}");
        }
    }
}
