using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Training;

[TestClass]
public sealed class OptimizerTests
{
    [TestMethod]
    public void Sgd_MomentumAndWeightDecay_FollowsPyTorchUpdateRule()
    {
        var parameter = new Parameter("w", Tensor.FromValues([1f], 1));
        var sgd = new SgdOptimizer(0.1f, momentum: 0.9f, weightDecay: 0.1f);

        // Step 1: g = 0.5 + 0.1*1 = 0.6; v = 0.6; w = 1 - 0.06 = 0.94.
        // Step 2: g = 0.5 + 0.094 = 0.594; v = 0.9*0.6 + 0.594 = 1.134; w = 0.94 - 0.1134 = 0.8266.
        parameter.Gradient.Span[0] = 0.5f;
        sgd.Step([parameter]);
        Assert.AreEqual(0.94f, parameter.Value.Span[0], 1e-6);
        sgd.Step([parameter]);
        Assert.AreEqual(0.8266f, parameter.Value.Span[0], 1e-6);
    }

    [TestMethod]
    public void Sgd_Nesterov_AddsMomentumLookAhead()
    {
        var parameter = new Parameter("w", Tensor.FromValues([0f], 1));
        var sgd = new SgdOptimizer(1f, momentum: 0.5f, nesterov: true);
        parameter.Gradient.Span[0] = 1f;

        // v = 1; update = g + 0.5 v = 1.5. Then v = 0.5 + 1 = 1.5; update = 1 + 0.75 = 1.75.
        sgd.Step([parameter]);
        sgd.Step([parameter]);
        Assert.AreEqual(-3.25f, parameter.Value.Span[0], 1e-6);
    }

    [TestMethod]
    public void Adam_TwoSteps_MatchHandComputedBiasCorrectedUpdate()
    {
        var parameter = new Parameter("w", Tensor.FromValues([1f, -2f], 2));
        var adam = new AdamOptimizer(0.01f);
        float[] gradients = [0.3f, -0.1f];
        double[] m = [0, 0], v = [0, 0], w = [1, -2];
        for (int step = 1; step <= 2; step++)
        {
            gradients.CopyTo(parameter.Gradient.Span);
            adam.Step([parameter]);
            for (int i = 0; i < 2; i++)
            {
                m[i] = (0.9 * m[i]) + (0.1 * gradients[i]);
                v[i] = (0.999 * v[i]) + (0.001 * gradients[i] * gradients[i]);
                double mHat = m[i] / (1 - Math.Pow(0.9, step)), vHat = v[i] / (1 - Math.Pow(0.999, step));
                w[i] -= 0.01 * mHat / (Math.Sqrt(vHat) + 1e-8);
                Assert.AreEqual(w[i], parameter.Value.Span[i], 1e-6, $"step {step}, element {i}");
            }
        }
    }

    [TestMethod]
    public void Step_MaskedParameter_KeepsMaskedWeightsAtZero()
    {
        var parameter = new Parameter("w", Tensor.FromValues([1f, 2f, 3f], 3))
        {
            Mask = Tensor.FromValues([1f, 0f, 1f], 3),
        };
        Assert.AreEqual(0f, parameter.Value.Span[1]);
        parameter.Gradient.Fill(-1f);
        new AdamOptimizer(0.1f).Step([parameter]);
        Assert.AreEqual(0f, parameter.Value.Span[1]);
        Assert.IsTrue(parameter.Value.Span[0] > 1f && parameter.Value.Span[2] > 3f);
    }

    [TestMethod]
    public void Step_ParameterReplacedWithSmallerShape_RestartsItsState()
    {
        var parameter = new Parameter("w", Tensor.FromValues([1f, 1f], 2));
        var sgd = new SgdOptimizer(0.1f, momentum: 0.9f);
        parameter.Gradient.Fill(1f);
        sgd.Step([parameter]);
        parameter.Replace(Tensor.FromValues([1f], 1));
        parameter.Gradient.Fill(1f);
        sgd.Step([parameter]);
        Assert.AreEqual(0.9f, parameter.Value.Span[0], 1e-6);
    }

    [TestMethod]
    public void Constructors_InvalidValues_ThrowNamingTheOption()
    {
        Assert.AreEqual("LearningRate", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new SgdOptimizer(0f)).ParamName);
        Assert.AreEqual("momentum", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new SgdOptimizer(0.1f, momentum: 1f)).ParamName);
        Assert.AreEqual("beta2", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new AdamOptimizer(beta2: 1f)).ParamName);
        Assert.AreEqual("gamma", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new StepLearningRate(2, 0f)).ParamName);
    }

    [TestMethod]
    public void Schedules_MatchPyTorchStepAndCosineFormulas()
    {
        var step = new StepLearningRate(2, 0.5f);
        CollectionAssert.AreEqual(new[] { 1f, 1f, 0.5f, 0.5f, 0.25f }, Enumerable.Range(0, 5).Select(e => step.GetRate(1f, e, 5)).ToArray());
        var cosine = new CosineLearningRate(0.1f);
        Assert.AreEqual(1f, cosine.GetRate(1f, 0, 4), 1e-6);
        Assert.AreEqual(0.55f, cosine.GetRate(1f, 2, 4), 1e-6);
        Assert.AreEqual(0.1f + (0.9f * (1 + MathF.Cos(MathF.PI / 4)) / 2), cosine.GetRate(1f, 1, 4), 1e-6);
    }
}
