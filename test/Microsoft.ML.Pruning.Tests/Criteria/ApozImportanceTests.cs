using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Criteria.CriteriaTestSupport;

namespace Microsoft.ML.Pruning.Tests.Criteria;

[TestClass]
public sealed class ApozImportanceTests
{
    /// <summary>
    /// Dense 3→4 then ReLU on five samples. Pre-activations per unit (z ≤ 0 is a zero after ReLU):
    /// u0 = x0:          1, −1, 0.5, 2, −2  → 2 zeros;
    /// u1 = x1:         −1,  2, 0.5, 0, −1  → 3 zeros (0 counts);
    /// u2 = x2:          2,  0, −1,  1, −1  → 3 zeros;
    /// u3 = x0 + x1 − 1: −1, 0,  0,  1, −4  → 4 zeros.
    /// </summary>
    internal static (Network Network, Dataset Data) TinyMlp()
    {
        var network = new Network(3);
        network.Add(Dense([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]], [0, 0, 0, -1], "hidden"));
        network.Add(new Relu("relu"));
        network.Add(Dense([[1, 1, 1, 1], [1, -1, 1, -1]], name: "output"));
        var data = Rows([[1, -1, 2], [-1, 2, 0], [0.5f, 0.5f, -1], [2, 0, 1], [-2, -1, -1]]);
        return (network, data);
    }

    /// <summary>
    /// Conv2d 1→2 with 1×1 kernels w = [1, −1], b = [0, 1], ReLU, on two 2×2 images.
    /// Filter 0 = x:      [1, −1, 0, 2] and [−2, 3, 0.5, −0.5]   → 2 + 2 = 4 zeros of 8.
    /// Filter 1 = 1 − x:  [0, 2, 1, −1] and [3, −2, 0.5, 1.5]    → 2 + 1 = 3 zeros of 8.
    /// </summary>
    internal static (Network Network, Dataset Data) TinyCnn()
    {
        var network = new Network(1, 2, 2);
        var conv = new Conv2d(1, 2, 1, name: "conv");
        conv.Weight.Value.Span[0] = 1;
        conv.Weight.Value.Span[1] = -1;
        conv.Bias!.Value.Span[1] = 1;
        network.Add(conv);
        network.Add(new Relu("relu"));
        var data = Dataset.FromArray([1, -1, 0, 2, -2, 3, 0.5f, -0.5f], [1, 2, 2], [0, 0], 1);
        return (network, data);
    }

    [TestMethod]
    public void ComputeApoz_DenseNeurons_CountsActivationsAtMostZero()
    {
        var (network, data) = TinyMlp();
        var apoz = new ApozImportance().ComputeApoz(network, [Group(network, 0, 1)], data);
        CollectionAssert.AreEqual(new[] { 0.4f, 0.6f, 0.6f, 0.8f }, apoz[0]);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void ComputeApoz_WidthNotAMultipleOfTheVectorAndBatchesSplitAcrossThreads_CountsEveryValueOnce(int threads)
    {
        // An identity Dense layer of 19 neurons (two 8-wide vectors and a tail of 3) on 37 samples in batches of 16, so
        // the last batch holds 5; feature u of sample n is ((7n + 3u) mod 5) − 2, a zero after ReLU when it is at most 0.
        const int units = 19, count = 37;
        var weights = Enumerable.Range(0, units).Select(r => Enumerable.Range(0, units).Select(c => r == c ? 1f : 0f).ToArray()).ToArray();
        var network = new Network(units);
        network.Add(Dense(weights, name: "hidden"));
        network.Add(new Relu("relu"));
        var rows = Enumerable.Range(0, count).Select(n => Enumerable.Range(0, units).Select(u => (float)(((7 * n) + (3 * u)) % 5) - 2).ToArray()).ToArray();
        var expected = Enumerable.Range(0, units).Select(u => (float)(rows.Count(row => row[u] <= 0) / (double)count)).ToArray();
        int saved = ComputeSettings.DegreeOfParallelism;
        try
        {
            ComputeSettings.DegreeOfParallelism = threads;
            var apoz = new ApozImportance(batchSize: 16).ComputeApoz(network, [Group(network, 0, 1)], Rows(rows));
            CollectionAssert.AreEqual(expected, apoz[0]);
        }
        finally
        {
            ComputeSettings.DegreeOfParallelism = saved;
        }
    }

    [TestMethod]
    public void Score_DenseNeurons_IsOneMinusApoz()
    {
        var (network, data) = TinyMlp();
        var scores = new ApozImportance().Score(network, [Group(network, 0, 1)], data);
        CollectionAssert.AreEqual(new[] { 1 - 0.4f, 1 - 0.6f, 1 - 0.6f, 1 - 0.8f }, scores[0]);
    }

    [TestMethod]
    public void ComputeApoz_ConvFilters_CountsOverSamplesAndPositions()
    {
        var (network, data) = TinyCnn();
        var apoz = new ApozImportance().ComputeApoz(network, [Group(network, 0, 1)], data);
        CollectionAssert.AreEqual(new[] { 4 / 8f, 3 / 8f }, apoz[0]);
    }

    [TestMethod]
    public void ComputeApoz_BatchesOfTwo_MatchOneBatch()
    {
        var (network, data) = TinyMlp();
        var group = Group(network, 0, 1);
        CollectionAssert.AreEqual(new ApozImportance().ComputeApoz(network, [group], data)[0], new ApozImportance(batchSize: 2).ComputeApoz(network, [group], data)[0]);
    }

    [TestMethod]
    public void ComputeApoz_GroupReadAtItsProducerWithoutActivation_IsRefusedNamingTheGroup()
    {
        // A group whose chain holds no ReLU has no zeros to count (issue 13, item 1): it used to count z ≤ 0 at the
        // Dense output, which reads every Sigmoid or BatchNorm output as "active".
        var (network, data) = TinyMlp();
        var error = Assert.ThrowsExactly<CriterionNotApplicableException>(() => new ApozImportance().ComputeApoz(network, [Group(network, 0, 0)], data));
        StringAssert.Contains(error.Message, "group 'hidden'");
    }

    [TestMethod]
    public void ApozImportance_Properties_DescribeADataCriterion()
    {
        var criterion = new ApozImportance(batchSize: 32);
        Assert.AreEqual("APoZ", criterion.Name);
        Assert.IsTrue(criterion.RequiresData);
        Assert.AreEqual(32, criterion.BatchSize);
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => new ApozImportance(batchSize: 0));
    }
}
