using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Criteria.CriteriaTestSupport;

namespace Microsoft.ML.Pruning.Tests.Criteria;

/// <summary>
/// Compares every criterion with PyTorch 1.13 through test/fixtures/pruning/*.json, written by
/// test/fixtures/pruning/generate.py: a ReLU MLP 20-16-12-3 (with a near-duplicate and a dead unit), a sigmoid MLP
/// (with a complementary pair) and a CNN conv-BN-ReLU-pool-conv-ReLU-dense, 64 random samples each.
/// </summary>
[TestClass]
public sealed class CriteriaPyTorchReferenceTests
{
    private const double Relative = 1e-4;

    public TestContext TestContext { get; set; } = null!;

    private static float Centering(string fixture) => fixture == "mlp_sigmoid" ? 0.5f : 0f;

    [TestMethod]
    [DataRow("mlp_relu")]
    [DataRow("cnn")]
    public void ComputeApoz_MatchesPyTorch(string fixture)
    {
        var (network, data, f) = LoadFixture(fixture);
        var apoz = new ApozImportance(batchSize: 20).ComputeApoz(network, FixtureGroups(network, fixture), data);
        Compare(f, fixture, "apoz", apoz, relative: 0, absolute: 1e-6);
    }

    [TestMethod]
    public void ComputeApoz_SigmoidFixture_IsRefusedBecauseASigmoidMakesNoZeros()
    {
        // Issue 13, item 1: the fixture's "apoz" of a Sigmoid network counted values at most 0 after the Sigmoid (none).
        var (network, data, _) = LoadFixture("mlp_sigmoid");
        var error = Assert.ThrowsExactly<CriterionNotApplicableException>(() => new ApozImportance(batchSize: 20).ComputeApoz(network, FixtureGroups(network, "mlp_sigmoid"), data));
        StringAssert.Contains(error.Message, "ReLU");
    }

    [TestMethod]
    [DataRow("mlp_relu")]
    [DataRow("cnn")]
    public void WeightNorms_MatchPyTorch(string fixture)
    {
        var (network, _, f) = LoadFixture(fixture);
        var groups = FixtureGroups(network, fixture);
        Compare(f, fixture, "l1", new WeightNormImportance(WeightNorm.L1).Score(network, groups, null), Relative, 1e-7);
        Compare(f, fixture, "l2", new WeightNormImportance(WeightNorm.L2).Score(network, groups, null), Relative, 1e-7);
        Compare(f, fixture, "l1_mean", new WeightNormImportance(WeightNorm.L1, normalizeByFanIn: true).Score(network, groups, null), Relative, 1e-7);
        Compare(f, fixture, "l2_rms", new WeightNormImportance(WeightNorm.L2, normalizeByFanIn: true).Score(network, groups, null), Relative, 1e-7);
    }

    [TestMethod]
    [DataRow("mlp_relu")]
    [DataRow("mlp_sigmoid")]
    [DataRow("cnn")]
    public void DistinctivenessAnglesAndScores_MatchPyTorch(string fixture)
    {
        var (network, data, f) = LoadFixture(fixture);
        var groups = FixtureGroups(network, fixture);
        var criterion = new DistinctivenessImportance(centering: Centering(fixture), batchSize: 20);
        var angles = criterion.ComputeAngles(network, groups, data);
        var flat = angles.Select(m => m.Cast<double>().Select(a => double.IsNaN(a) ? -1f : (float)a).ToArray()).ToArray();
        Compare(f, fixture, "angles", flat, Relative, 1e-4);
        Compare(f, fixture, "distinctiveness", criterion.Score(network, groups, data), Relative, 1e-4);
    }

    [TestMethod]
    [DataRow("mlp_relu")]
    [DataRow("mlp_sigmoid")]
    [DataRow("cnn")]
    public void TaylorScores_MatchPyTorch(string fixture)
    {
        var (network, data, f) = LoadFixture(fixture);
        var groups = FixtureGroups(network, fixture);
        Compare(f, fixture, "taylor", new TaylorImportance(batchSize: 20).Score(network, groups, data), Relative, 1e-7);
        Compare(f, fixture, "taylor_normalized", new TaylorImportance(normalizePerLayer: true, batchSize: 20).Score(network, groups, data), Relative, 1e-6);
    }

    private void Compare(TorchFixture f, string fixture, string what, IReadOnlyList<float[]> actual, double relative, double absolute)
    {
        var names = FixtureGroupNames(fixture);
        for (int g = 0; g < names.Length; g++)
        {
            string key = $"{names[g]}.{what}";
            double worst = TensorAssert.AllClose(f.FloatTensor(key).Span, actual[g], relative, absolute, $"{fixture} {key}");
            TestContext.WriteLine($"{fixture} {key}: largest difference {worst:E2}");
        }
    }
}
