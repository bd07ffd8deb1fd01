using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Criteria.CriteriaTestSupport;

namespace Microsoft.ML.Pruning.Tests.Criteria;

[TestClass]
public sealed class DistinctivenessImportanceTests
{
    private static readonly double Atan01 = Degrees(Math.Atan(0.1));
    private static readonly double Atan02 = Degrees(Math.Atan(0.2));

    /// <summary>
    /// An identity Dense 7→7 read at its own output, so that unit u's activation vector over the four samples is
    /// column u of the data:
    /// v0 = [1, 0, 0, 0], v1 = [1, 0.1, 0, 0], v2 = [0, 1, 0, 0], v3 = [0, −1, 0.2, 0], v4 = 0, v5 = [0, 0, 0, 3],
    /// v6 = [1, 0.2, 0, 0].
    /// </summary>
    private static (Network Network, Dataset Data) IdentityNetwork()
    {
        var rows = Enumerable.Range(0, 7).Select(i => Enumerable.Range(0, 7).Select(j => i == j ? 1f : 0f).ToArray()).ToArray();
        var network = new Network(7);
        network.Add(Dense(rows, name: "identity"));
        float[][] columns = [[1, 0, 0, 0], [1, 0.1f, 0, 0], [0, 1, 0, 0], [0, -1, 0.2f, 0], [0, 0, 0, 0], [0, 0, 0, 3], [1, 0.2f, 0, 0]];
        var samples = Enumerable.Range(0, 4).Select(n => columns.Select(c => c[n]).ToArray()).ToArray();
        return (network, Rows(samples));
    }

    private static double Degrees(double radians) => radians * 180 / Math.PI;

    [TestMethod]
    public void ComputeAngles_IdentityDense_AreAnglesBetweenActivationColumns()
    {
        var (network, data) = IdentityNetwork();
        var angles = new DistinctivenessImportance(centering: 0).ComputeAngles(network, Group(network, 0, 0), data);
        Assert.AreEqual(7, angles.GetLength(0));
        Assert.AreEqual(Atan01, angles[0, 1], 1e-4);
        Assert.AreEqual(90, angles[0, 2], 1e-4);
        Assert.AreEqual(Degrees(Math.Acos(0.1 / Math.Sqrt(1.01))), angles[1, 2], 1e-4);
        Assert.AreEqual(180 - Atan02, angles[2, 3], 1e-4);
        Assert.AreEqual(Atan02 - Atan01, angles[1, 6], 1e-4);
        Assert.AreEqual(Degrees(Math.Acos(-0.2 / 1.04)), angles[3, 6], 1e-4);
        Assert.AreEqual(angles[3, 6], angles[6, 3]);
        Assert.AreEqual(0, angles[5, 5]);
        Assert.IsTrue(double.IsNaN(angles[4, 0]) && double.IsNaN(angles[0, 4]) && double.IsNaN(angles[4, 4]), "A zero vector has no angle.");
    }

    [TestMethod]
    public void Score_RedundantPairs_MarkOneUnitOfEachPairByIncreasingDistance()
    {
        // Redundant pairs by distance: (1, 6) 5.60°, (0, 1) 5.71°, (0, 6) 11.31°, (2, 3) 11.31° (complementary).
        // (1, 6): |v1| = √1.01 < |v6| = √1.04, so 1 goes with 5.60. (0, 1): 1 is gone. (0, 6): |v0| = 1 < √1.04, so 0 goes
        // with 11.31. (2, 3): |v2| = 1 < √1.04, so 2 goes with 11.31. Unit 4 is a zero vector: 0.
        // Kept: 3, 5, 6. 3–6 is 101.09° (distance 78.91), 3–5 and 5–6 are 90.
        var (network, data) = IdentityNetwork();
        var scores = new DistinctivenessImportance(centering: 0).Score(network, [Group(network, 0, 0)], data)[0];
        double keptDistance = 180 - Degrees(Math.Acos(-0.2 / 1.04));
        float[] expected = [(float)Atan02, (float)(Atan02 - Atan01), (float)Atan02, (float)keptDistance, 0, 90, (float)keptDistance];
        TestSupport.TensorAssert.AllClose(expected, scores, 0, 1e-4, "scores");
    }

    [TestMethod]
    public void Score_ThresholdAt15Degrees_RemovesOneUnitOfEachPairNeverBoth()
    {
        var (network, data) = IdentityNetwork();
        var scores = new DistinctivenessImportance(centering: 0).Score(network, [Group(network, 0, 0)], data)[0];
        var removed = Enumerable.Range(0, scores.Length).Where(i => scores[i] < 15).ToArray();
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 4 }, removed);
    }

    [TestMethod]
    public void Score_ConvFilters_UseSpatialMeansAndBreakNormTiesTowardTheHigherIndex()
    {
        // Two 1×1 filters w = 1 and w = −1 on 1×2×2 images: spatial means m and −m, an exactly complementary pair with
        // equal norms. The higher index (1) is redundant at distance 0; filter 0 has no partner left: 90.
        var network = new Network(1, 2, 2);
        var conv = new Conv2d(1, 2, 1, name: "conv");
        conv.Weight.Value.Span[0] = 1;
        conv.Weight.Value.Span[1] = -1;
        network.Add(conv);
        var data = Dataset.FromArray([1, 2, 3, 4, -1, 0, 0.5f, 0.25f, 2, 2, -3, 1], [1, 2, 2], [0, 0, 0], 1);
        var criterion = new DistinctivenessImportance(centering: 0);
        var group = Group(network, 0, 0);
        Assert.AreEqual(180, criterion.ComputeAngles(network, group, data)[0, 1], 1e-9);
        CollectionAssert.AreEqual(new[] { 90f, 0f }, criterion.Score(network, [group], data)[0]);
    }

    [TestMethod]
    public void Score_SigmoidUnits_AreCenteredOnHalfBeforeAnglesAreTaken()
    {
        // Sigmoid of ±z: s(z) − 0.5 and s(−z) − 0.5 are exact opposites, so centered they are complementary (180°);
        // uncentered both are positive vectors less than 90° apart.
        var network = new Network(1);
        network.Add(Dense([[1], [-1]], name: "hidden"));
        network.Add(new Sigmoid("sigmoid"));
        var data = Rows([[1], [-2], [0.5f]]);
        var group = Group(network, 0, 1);
        Assert.AreEqual(180, new DistinctivenessImportance().ComputeAngles(network, group, data)[0, 1], 0.1);
        Assert.IsTrue(new DistinctivenessImportance(centering: 0).ComputeAngles(network, group, data)[0, 1] < 90);
    }

    [TestMethod]
    public void Score_CustomThresholds_ChangeWhichPairsAreRedundant()
    {
        // With a 5° similarity threshold no near-duplicate pair remains; only the complementary (2, 3) pair is redundant.
        var (network, data) = IdentityNetwork();
        var scores = new DistinctivenessImportance(centering: 0, similarAngle: 5).Score(network, [Group(network, 0, 0)], data)[0];
        Assert.AreEqual((float)Atan02, scores[2], 1e-4, "2 is the smaller of the complementary pair.");
        Assert.AreEqual((float)(Atan02 - Atan01), scores[1], 1e-4, "1 is kept: its nearest kept partner is 6.");
        Assert.AreEqual(0, scores[4]);
    }

    [TestMethod]
    public void Score_BatchesOfOne_MatchOneBatch()
    {
        var (network, data) = IdentityNetwork();
        var group = Group(network, 0, 0);
        var whole = new DistinctivenessImportance(centering: 0).Score(network, [group], data)[0];
        var single = new DistinctivenessImportance(centering: 0, batchSize: 1).Score(network, [group], data)[0];
        TestSupport.TensorAssert.AllClose(whole, single, 0, 1e-4, "scores");
    }

    [TestMethod]
    [DataRow(double.NaN, 15.0, 165.0, 256, "centering")]
    [DataRow(0.5, 0.0, 165.0, 256, "similarAngle")]
    [DataRow(0.5, 91.0, 165.0, 256, "similarAngle")]
    [DataRow(0.5, 15.0, 180.0, 256, "complementaryAngle")]
    [DataRow(0.5, 15.0, 89.0, 256, "complementaryAngle")]
    [DataRow(0.5, 15.0, 165.0, 0, "batchSize")]
    public void Constructor_OutOfRangeOption_ThrowsNamingIt(double centering, double similar, double complementary, int batchSize, string name)
    {
        var error = Assert.ThrowsException<ArgumentOutOfRangeException>(() => new DistinctivenessImportance(centering, similar, complementary, batchSize));
        Assert.AreEqual(name, error.ParamName);
    }

    [TestMethod]
    public void DistinctivenessImportance_Properties_KeepTheOptions()
    {
        var criterion = new DistinctivenessImportance();
        Assert.AreEqual("distinctiveness", criterion.Name);
        Assert.IsTrue(criterion.RequiresData);
        Assert.AreEqual(0.5, criterion.Centering);
        Assert.AreEqual(15, criterion.SimilarAngle);
        Assert.AreEqual(165, criterion.ComplementaryAngle);
        Assert.AreEqual(256, criterion.BatchSize);
    }

    [TestMethod]
    public void ComputeAngles_SeveralGroups_ReturnsOneMatrixPerGroup()
    {
        var (network, data) = ApozImportanceTests.TinyMlp();
        var matrices = new DistinctivenessImportance(centering: 0).ComputeAngles(network, [Group(network, 0, 1), Group(network, 2, 2)], data);
        Assert.AreEqual(2, matrices.Count);
        Assert.AreEqual(4, matrices[0].GetLength(1));
        Assert.AreEqual(2, matrices[1].GetLength(1));

        // Hidden ReLU columns: a0 = [1, 0, 0.5, 2, 0] and a2 = [2, 0, 0, 1, 0]: cos = 4 / √(5.25 · 5).
        Assert.AreEqual(Degrees(Math.Acos(4 / Math.Sqrt(5.25 * 5))), matrices[0][0, 2], 1e-4);
    }
}
