using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

/// <summary>
/// The internal switch that gradient-based pruning criteria use: a training pass (caching for backward) that computes
/// what an inference pass computes and changes no state.
/// </summary>
[TestClass]
public sealed class KeepInferenceBehaviourTests
{
    private static BatchNorm Layer()
    {
        // Two channels: gamma [2, −1], beta [0.5, 0], running mean [1, −2], running variance [4, 0.25].
        var layer = new BatchNorm(2, epsilon: 1e-5f);
        float[] gamma = [2, -1], beta = [0.5f, 0], mean = [1, -2], variance = [4, 0.25f];
        gamma.CopyTo(layer.Scale.Value.Span);
        beta.CopyTo(layer.Shift.Value.Span);
        mean.CopyTo(layer.RunningMean.Value.Span);
        variance.CopyTo(layer.RunningVariance.Value.Span);
        return layer;
    }

    [TestMethod]
    public void BatchNorm_TrainingPassKeepingInferenceBehaviour_NormalizesWithRunningStatisticsAndLeavesThem()
    {
        var layer = Layer();
        var input = FloatTensor.FromValues([3, 0, -1, -2, 0.5f, -4, 2, 1, 0, 0, 7, -3, 1, 1, 1, 1], 2, 2, 2, 2);
        var inference = layer.Forward(input, training: false).Clone();
        layer.KeepInferenceBehaviour = true;
        var output = layer.Forward(input, training: true);
        TestSupport.TensorAssert.AreClose(inference, output, "output", 0);
        CollectionAssert.AreEqual(new[] { 1f, -2f }, layer.RunningMean.Value.Span.ToArray());
        CollectionAssert.AreEqual(new[] { 4f, 0.25f }, layer.RunningVariance.Value.Span.ToArray());
    }

    [TestMethod]
    public void BatchNorm_BackwardAfterInferenceBehaviour_DifferentiatesTheAffineInferenceMap()
    {
        // y = gamma · (x − mean) / √(var + eps) + beta, so dx = gamma / √(var + eps) · dy, dgamma = Σ dy · x̂, dbeta = Σ dy.
        var layer = Layer();
        layer.KeepInferenceBehaviour = true;
        var input = FloatTensor.FromValues([3, 0, -1, -2, 0.5f, -4, 2, 1], 2, 2, 1, 2);
        layer.Forward(input, training: true);
        var dy = FloatTensor.FromValues([1, -1, 0.5f, 2, -3, 0.25f, 1, 1], 2, 2, 1, 2);
        var dx = layer.Backward(dy)[0]!;

        double[] gamma = [2, -1], mean = [1, -2], variance = [4, 0.25];
        var expectedDx = new float[8];
        double[] dGamma = new double[2], dBeta = new double[2];
        for (int n = 0; n < 2; n++)
        {
            for (int c = 0; c < 2; c++)
            {
                for (int s = 0; s < 2; s++)
                {
                    int i = (((n * 2) + c) * 2) + s;
                    double inverseStd = 1 / Math.Sqrt(variance[c] + 1e-5);
                    expectedDx[i] = (float)(gamma[c] * inverseStd * dy.Span[i]);
                    dGamma[c] += dy.Span[i] * (input.Span[i] - mean[c]) * inverseStd;
                    dBeta[c] += dy.Span[i];
                }
            }
        }

        TestSupport.TensorAssert.AllClose(expectedDx, dx.Span, 1e-6, 1e-6, "dx");
        TestSupport.TensorAssert.AllClose(dGamma.Select(v => (float)v).ToArray(), layer.Scale.Gradient.Span, 1e-6, 1e-6, "dgamma");
        TestSupport.TensorAssert.AllClose(dBeta.Select(v => (float)v).ToArray(), layer.Shift.Gradient.Span, 1e-6, 1e-6, "dbeta");
    }

    [TestMethod]
    public void Dropout_TrainingPassKeepingInferenceBehaviour_IsTheIdentityBothWays()
    {
        var layer = new Dropout(0.5f, seed: 1) { KeepInferenceBehaviour = true };
        var input = FloatTensor.FromValues([1, 2, 3, 4, 5, 6], 2, 3);
        CollectionAssert.AreEqual(input.Span.ToArray(), layer.Forward(input, training: true).Span.ToArray());
        var gradient = FloatTensor.FromValues([6, 5, 4, 3, 2, 1], 2, 3);
        CollectionAssert.AreEqual(gradient.Span.ToArray(), layer.Backward(gradient)[0]!.Span.ToArray());
    }
}
