using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Criteria.CriteriaTestSupport;

namespace Microsoft.ML.Pruning.Tests.Criteria;

/// <summary>The behaviour every <see cref="IImportance"/> shares: argument checks, one pass, and an untouched network.</summary>
[TestClass]
public sealed class ImportanceContractTests
{
    private static IImportance Create(string name, int batchSize = 256) => name switch
    {
        "apoz" => new ApozImportance(batchSize),
        "l1" => new WeightNormImportance(),
        "l2" => new WeightNormImportance(WeightNorm.L2, normalizeByFanIn: true),
        "distinctiveness" => new DistinctivenessImportance(batchSize: batchSize),
        "taylor" => new TaylorImportance(batchSize: batchSize),
        _ => throw new AssertFailedException($"Unknown criterion '{name}'."),
    };

    [TestMethod]
    [DataRow("apoz")]
    [DataRow("l1")]
    [DataRow("l2")]
    [DataRow("distinctiveness")]
    [DataRow("taylor")]
    public void Score_FixtureNetworks_ReturnOneFiniteScorePerUnitOfEveryGroup(string criterion)
    {
        foreach (string fixture in new[] { "mlp_relu", "cnn" })
        {
            var (network, data, _) = LoadFixture(fixture);
            var groups = FixtureGroups(network, fixture);
            var scores = Create(criterion).Score(network, groups, data);
            Assert.AreEqual(groups.Length, scores.Count);
            for (int g = 0; g < groups.Length; g++)
            {
                Assert.AreEqual(groups[g].UnitCount, scores[g].Length, $"{fixture} group {groups[g].Name}");
                Assert.IsTrue(scores[g].All(float.IsFinite), $"{fixture} group {groups[g].Name} has a non-finite score.");
            }
        }
    }

    [TestMethod]
    [DataRow("apoz")]
    [DataRow("l1")]
    [DataRow("distinctiveness")]
    [DataRow("taylor")]
    public void Score_BatchNormNetwork_LeavesTheNetworkBitIdentical(string criterion)
    {
        var (network, data, _) = LoadFixture("cnn");
        FillGradients(network);
        var before = Snapshot(network);
        Create(criterion, batchSize: 24).Score(network, FixtureGroups(network, "cnn"), data);
        AssertSameBits(before, Snapshot(network), criterion);
    }

    [TestMethod]
    [DataRow("apoz")]
    [DataRow("l1")]
    [DataRow("distinctiveness")]
    [DataRow("taylor")]
    public void Score_ProducerThatIsNotDenseOrConv_ThrowsNamingTheGroup(string criterion)
    {
        var (network, data) = ApozImportanceTests.TinyMlp();
        var group = new PruningGroup("odd group", UnitKind.Neuron, [network.Nodes[1]], network.Nodes[1], 4);
        var error = Assert.ThrowsException<ArgumentException>(() => Create(criterion).Score(network, [group], data));
        StringAssert.Contains(error.Message, "odd group");
        StringAssert.Contains(error.Message, "Relu");
    }

    [TestMethod]
    [DataRow("apoz")]
    [DataRow("l1")]
    [DataRow("distinctiveness")]
    [DataRow("taylor")]
    public void Score_GroupWithStaleUnitCount_ThrowsNamingTheGroup(string criterion)
    {
        var (network, data) = ApozImportanceTests.TinyMlp();
        var group = new PruningGroup("stale", UnitKind.Neuron, [network.Nodes[0]], network.Nodes[1], 3);
        var error = Assert.ThrowsException<ArgumentException>(() => Create(criterion).Score(network, [group], data));
        StringAssert.Contains(error.Message, "stale");
    }

    [TestMethod]
    [DataRow("apoz")]
    [DataRow("l1")]
    [DataRow("distinctiveness")]
    [DataRow("taylor")]
    public void Score_GroupOfAnotherNetwork_ThrowsNamingTheGroup(string criterion)
    {
        var (network, data) = ApozImportanceTests.TinyMlp();
        var (other, _) = ApozImportanceTests.TinyMlp();
        var error = Assert.ThrowsException<ArgumentException>(() => Create(criterion).Score(network, [Group(other, 0, 1)], data));
        StringAssert.Contains(error.Message, "hidden");
    }

    [TestMethod]
    [DataRow("apoz")]
    [DataRow("distinctiveness")]
    [DataRow("taylor")]
    public void Score_DataCriterionWithoutData_Throws(string criterion)
    {
        var (network, data) = ApozImportanceTests.TinyMlp();
        var groups = new[] { Group(network, 0, 1) };
        Assert.AreEqual("data", Assert.ThrowsException<ArgumentNullException>(() => Create(criterion).Score(network, groups, null)).ParamName);
        Assert.AreEqual("data", Assert.ThrowsException<ArgumentException>(() => Create(criterion).Score(network, groups, data.Take(0))).ParamName);
        var wrongShape = Rows([[1, 2]]);
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => Create(criterion).Score(network, groups, wrongShape)).Message, "[2]");
    }

    [TestMethod]
    [DataRow("l1")]
    [DataRow("l2")]
    public void Score_WeightCriterionWithoutData_Scores(string criterion)
    {
        var (network, _) = ApozImportanceTests.TinyMlp();
        Assert.IsFalse(Create(criterion).RequiresData);
        Assert.AreEqual(4, Create(criterion).Score(network, [Group(network, 0, 1)], null)[0].Length);
    }

    [TestMethod]
    [DataRow("apoz")]
    [DataRow("l1")]
    [DataRow("distinctiveness")]
    [DataRow("taylor")]
    public void Score_CancelledToken_Throws(string criterion)
    {
        var (network, data) = ApozImportanceTests.TinyMlp();
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.ThrowsException<OperationCanceledException>(() => Create(criterion).Score(network, [Group(network, 0, 1)], data, source.Token));
    }

    [TestMethod]
    [DataRow("apoz")]
    [DataRow("distinctiveness")]
    [DataRow("taylor")]
    public void Score_SeveralGroups_RunsOneForwardPassPerBatchForAllOfThem(string criterion)
    {
        // Ten samples in batches of four: three forward passes, whatever the number of groups.
        var counter = new CountingLayer();
        var network = new Network(3);
        network.Add(counter);
        network.Add(Dense([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]], [0, 0, 0, -1], "hidden"));
        network.Add(new Relu("relu"));
        network.Add(Dense([[1, 1, 1, 1], [1, -1, 1, -1], [0, 1, 0, 1]], name: "second"));
        network.Add(new Relu("relu2"));
        network.Add(Dense([[1, 1, 1], [1, -1, 1]], name: "output"));
        var rows = Enumerable.Range(0, 10).Select(i => new[] { i * 0.3f - 1, 1 - (i * 0.2f), (i % 3) - 1f }).ToArray();
        var data = Rows(rows);
        var scores = Create(criterion, batchSize: 4).Score(network, [Group(network, 1, 2), Group(network, 3, 4)], data);
        Assert.AreEqual(2, scores.Count);
        Assert.AreEqual(3, counter.Passes);
    }

    [TestMethod]
    [DataRow("apoz")]
    [DataRow("l1")]
    [DataRow("distinctiveness")]
    [DataRow("taylor")]
    public void Score_NoGroups_ReturnsNothingWithoutAPass(string criterion)
    {
        var counter = new CountingLayer();
        var network = new Network(3);
        network.Add(counter);
        network.Add(Dense([[1, 0, 0], [0, 1, 0]], name: "output"));
        Assert.AreEqual(0, Create(criterion).Score(network, [], Rows([[1, 2, 3]])).Count);
        Assert.AreEqual(0, counter.Passes);
    }

    /// <summary>An identity layer that counts its forward passes.</summary>
    private sealed class CountingLayer() : UnaryLayer("counter")
    {
        public int Passes { get; private set; }

        public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes) => (int[])SingleInput(inputShapes).Clone();

        public override FloatTensor Forward(FloatTensor input, bool training)
        {
            Passes++;
            return input;
        }

        protected override FloatTensor? BackwardCore(FloatTensor outputGradient) => outputGradient;
    }
}
