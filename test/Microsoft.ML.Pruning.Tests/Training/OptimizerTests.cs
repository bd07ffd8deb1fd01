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
        var parameter = new Parameter("w", FloatTensor.FromValues([1f], 1));
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
        var parameter = new Parameter("w", FloatTensor.FromValues([0f], 1));
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
        // 19 elements: the vectorized loop and its scalar tail both run.
        const int n = 19;
        var random = new Random(3);
        var gradients = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var w = Enumerable.Range(0, n).Select(i => (double)(i - 9) / 4).ToArray();
        var parameter = new Parameter("w", FloatTensor.FromValues(w.Select(x => (float)x).ToArray(), n));
        var adam = new AdamOptimizer(0.01f, weightDecay: 0.1f);
        double[] m = new double[n], v = new double[n];
        for (int step = 1; step <= 2; step++)
        {
            gradients.CopyTo(parameter.Gradient.Span);
            adam.Step([parameter]);
            for (int i = 0; i < n; i++)
            {
                double g = gradients[i] + (0.1 * w[i]);
                m[i] = (0.9 * m[i]) + (0.1 * g);
                v[i] = (0.999 * v[i]) + (0.001 * g * g);
                double mHat = m[i] / (1 - Math.Pow(0.9, step)), vHat = v[i] / (1 - Math.Pow(0.999, step));
                w[i] -= 0.01 * mHat / (Math.Sqrt(vHat) + 1e-8);
                Assert.AreEqual(w[i], parameter.Value.Span[i], 1e-6, $"step {step}, element {i}");
            }
        }
    }

    [TestMethod]
    public void Sgd_VectorizedUpdate_MatchesScalarRuleOnEveryElement()
    {
        const int n = 21;
        var parameter = new Parameter("w", new FloatTensor(n));
        var sgd = new SgdOptimizer(0.1f, momentum: 0.5f, weightDecay: 0.2f, nesterov: true);
        double[] w = new double[n], velocity = new double[n];
        for (int step = 0; step < 3; step++)
        {
            for (int i = 0; i < n; i++)
            {
                parameter.Gradient.Span[i] = (i % 5) - 2;
            }

            sgd.Step([parameter]);
            for (int i = 0; i < n; i++)
            {
                double g = ((i % 5) - 2) + (0.2 * w[i]);
                velocity[i] = (0.5 * velocity[i]) + g;
                w[i] -= 0.1 * (g + (0.5 * velocity[i]));
                Assert.AreEqual(w[i], parameter.Value.Span[i], 1e-5, $"step {step}, element {i}");
            }

            Assert.AreEqual((19 % 5) - 2, parameter.Gradient.Span[19], "the gradient is left as the backward pass wrote it");
        }
    }

    [TestMethod]
    public void Step_MaskedParameter_KeepsMaskedWeightsAtZero()
    {
        var parameter = new Parameter("w", FloatTensor.FromValues([1f, 2f, 3f], 3))
        {
            Mask = FloatTensor.FromValues([1f, 0f, 1f], 3),
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
        var parameter = new Parameter("w", FloatTensor.FromValues([1f, 1f], 2));
        var sgd = new SgdOptimizer(0.1f, momentum: 0.9f);
        parameter.Gradient.Fill(1f);
        sgd.Step([parameter]);
        parameter.Replace(FloatTensor.FromValues([1f], 1));
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
