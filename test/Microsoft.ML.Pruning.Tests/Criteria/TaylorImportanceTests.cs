using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Criteria.CriteriaTestSupport;

namespace Microsoft.ML.Pruning.Tests.Criteria;

[TestClass]
public sealed class TaylorImportanceTests
{
    // p1 = softmax([3, 6])[1] and r = softmax([2, 10])[0].
    private static readonly double P1 = Math.Exp(3) / (1 + Math.Exp(3));
    private static readonly double R = 1 / (1 + Math.Exp(8));

    /// <summary>
    /// Dense 2→2 (W1 = [[1, 2], [−1, 1]]), ReLU, Dense 2→2 (W2 = [[1, −1], [2, 1]]), no biases.
    /// Sample [1, 1], label 0: a = [3, 0], logits [3, 6], dC/dlogits = [−p1, p1], dC/da = W2ᵀ·that = [p1, 2·p1]: Θ = [3·p1, 0].
    /// Sample [0, 2], label 1: a = [4, 2], logits [2, 10], dC/dlogits = [r, −r], dC/da = [−r, −2r]: Θ = [4r, 4r].
    /// Means over the two samples: [(3·p1 + 4r) / 2, 2r].
    /// </summary>
    private static (Network Network, Dataset Data) TinyMlp(bool dropout = false)
    {
        var network = new Network(2);
        network.Add(Dense([[1, 2], [-1, 1]], name: "hidden"));
        network.Add(new Relu("relu"));
        if (dropout)
        {
            network.Add(new Dropout(0.5f, seed: 3, name: "dropout"));
        }

        network.Add(Dense([[1, -1], [2, 1]], name: "output"));
        return (network, Rows([[1, 1], [0, 2]], [0, 1]));
    }

    private static float[] Expected => [(float)(((3 * P1) + (4 * R)) / 2), (float)(2 * R)];

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void Score_DenseNeurons_AreMeanAbsoluteActivationTimesGradientPerSample(int batchSize)
    {
        var (network, data) = TinyMlp();
        var scores = new TaylorImportance(batchSize: batchSize).Score(network, [Group(network, 0, 1)], data);
        TestSupport.TensorAssert.AllClose(Expected, scores[0], 1e-5, 1e-7, $"batch {batchSize}");
    }

    [TestMethod]
    public void Score_NormalizePerLayer_DividesByTheGroupsL2Norm()
    {
        var (network, data) = TinyMlp();
        var scores = new TaylorImportance(normalizePerLayer: true).Score(network, [Group(network, 0, 1)], data);
        double norm = Math.Sqrt(Expected.Sum(v => (double)v * v));
        TestSupport.TensorAssert.AllClose(Expected.Select(v => (float)(v / norm)).ToArray(), scores[0], 1e-5, 1e-7, "normalized");
    }

    [TestMethod]
    public void Score_ConvFilters_AverageActivationTimesGradientOverPositionsBeforeTheAbsoluteValue()
    {
        // Conv2d 1→2 (1×1 kernels w = [1, −1]) on a 1×1×2 image x = [1, 2], Flatten, Dense picking features 0 and 3.
        // Filter maps [1, 2] and [−1, −2]; logits [1, −2]; with s = 1 / (1 + e³), dC/dlogits = [−s, s] for label 0,
        // so dC/dmaps = [−s, 0] and [0, s]: Θ0 = |1·(−s) + 2·0| / 2 = s / 2, Θ1 = |−1·0 − 2·s| / 2 = s.
        var network = new Network(1, 1, 2);
        var conv = new Conv2d(1, 2, 1, name: "conv");
        conv.Weight.Value.Span[0] = 1;
        conv.Weight.Value.Span[1] = -1;
        network.Add(conv);
        network.Add(new Flatten("flatten"));
        network.Add(Dense([[1, 0, 0, 0], [0, 0, 0, 1]], name: "output"));
        var data = Dataset.FromArray([1, 2], [1, 1, 2], [0], 2);
        var scores = new TaylorImportance().Score(network, [Group(network, 0, 0)], data);
        double s = 1 / (1 + Math.Exp(3));
        TestSupport.TensorAssert.AllClose([(float)(s / 2), (float)s], scores[0], 1e-5, 1e-8, "filters");
    }

    [TestMethod]
    public void Score_NetworkWithDropout_ScoresTheInferenceNetworkAndKeepsTheDropoutStream()
    {
        var (network, data) = TinyMlp(dropout: true);
        var (twin, _) = TinyMlp(dropout: true);
        var scores = new TaylorImportance().Score(network, [Group(network, 0, 1)], data);
        TestSupport.TensorAssert.AllClose(Expected, scores[0], 1e-5, 1e-7, "scores");

        // The dropout masks that training draws next are those of an unscored twin: scoring drew none.
        var input = FloatTensor.FromValues([1, 1, 0, 2, 3, -1, 2, 2], 4, 2);
        var expected = twin.Forward(input, training: true).Clone();
        TestSupport.TensorAssert.AreClose(expected, network.Forward(input, training: true), "training output after scoring", 0);
        Assert.IsTrue(network.Nodes.All(n => !n.Layer.KeepInferenceBehaviour), "Every layer is back to normal training behaviour.");
        Assert.IsTrue(network.Nodes.All(n => n.Layer.ComputeParameterGradients), "Every layer computes parameter gradients again.");
    }

    [TestMethod]
    public void Score_BatchNormNetwork_LeavesParametersGradientsAndRunningStatisticsBitIdentical()
    {
        var (network, data, _) = LoadFixture("cnn");
        FillGradients(network);
        var before = Snapshot(network);
        new TaylorImportance(batchSize: 16).Score(network, FixtureGroups(network, "cnn"), data);
        AssertSameBits(before, Snapshot(network), "Taylor on the BatchNorm CNN");
    }

    [TestMethod]
    public void TaylorImportance_Properties_KeepTheOptions()
    {
        var criterion = new TaylorImportance(normalizePerLayer: true, batchSize: 8);
        Assert.AreEqual("Taylor", criterion.Name);
        Assert.IsTrue(criterion.RequiresData);
        Assert.IsTrue(criterion.NormalizePerLayer);
        Assert.AreEqual(8, criterion.BatchSize);
        Assert.AreEqual("batchSize", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new TaylorImportance(batchSize: -1)).ParamName);
    }
}
