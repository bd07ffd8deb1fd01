using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tests.Loop;
using Microsoft.ML.Pruning.Tests.Structure;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Criteria.CriteriaTestSupport;

namespace Microsoft.ML.Pruning.Tests.Criteria;

/// <summary>APoZ reads the zeros where the ReLU makes them, refuses groups without one, and ties are reported (issue 13, item 1).</summary>
[TestClass]
public sealed class ApozActivationTests
{
    /// <summary>
    /// Dense 2→4, ReLU, BatchNorm whose shift is 1 (so a ReLU zero leaves it as 1). Units 0 and 1 copy x0 and x1; units
    /// 2 and 3 have zero weights and bias −1: dead, ReLU gives 0 on every sample. On the four samples below
    /// x0 = 1, −1, 2, 0 (2 zeros after ReLU) and x1 = −1, −2, 3, 1 (2 zeros).
    /// </summary>
    private static (Network Network, Microsoft.ML.Pruning.Data.Dataset Data) DenseReluBatchNorm()
    {
        var network = new Network(2);
        network.Add(Dense([[1, 0], [0, 1], [0, 0], [0, 0]], [0, 0, -1, -1], "hidden"));
        network.Add(new Relu("relu"));
        var norm = new BatchNorm(4, name: "norm");
        norm.Shift.Value.Span.Fill(1);
        network.Add(norm);
        network.Add(Dense([[1, 1, 1, 1], [1, -1, 1, -1]], name: "output"));
        return (network, Rows([[1, -1], [-1, -2], [2, 3], [0, 1]]));
    }

    [TestMethod]
    public void ComputeApoz_BatchNormAfterTheRelu_CountsTheZerosAtTheReluSoDeadUnitsScoreOne()
    {
        // Before: read at the BatchNorm, where every value is at least 1 − ε-ish > 0, all four units had APoZ 0.00 and the
        // dead units ranked as the most important. At the ReLU: 0.5, 0.5, 1.0, 1.0 (hand-counted above).
        var (network, data) = DenseReluBatchNorm();
        var groups = PruningGroups.Find(network);
        Assert.AreEqual("norm", groups[0].ActivationNode.Layer.Name, "the chain ends at the BatchNorm");
        CollectionAssert.AreEqual(new[] { 0.5f, 0.5f, 1f, 1f }, new ApozImportance().ComputeApoz(network, groups, data)[0]);

        var pruning = new StructuredPruning(new ApozImportance());
        Assert.AreEqual(2, pruning.Apply(network, 0.5, data));
        var hidden = (Dense)network["hidden"].Layer;
        CollectionAssert.AreEqual(new[] { 1f, 0f, 0f, 1f }, hidden.Weight.Value.Span.ToArray(), "the two live units stay; the dead ones go");
    }

    [TestMethod]
    public void ComputeApoz_LeakyRelu_CountsValuesOnTheNegativeSlope()
    {
        // LeakyReLU(0.1) of x0 = 1, −1, 2, 0 is 1, −0.1, 2, 0: two values at most 0, as for ReLU.
        var network = new Network(2);
        network.Add(Dense([[1, 0], [0, 1]], name: "hidden"));
        network.Add(new LeakyRelu(0.1f, "leaky"));
        network.Add(Dense([[1, 1]], name: "output"));
        var apoz = new ApozImportance().ComputeApoz(network, PruningGroups.Find(network), Rows([[1, -1], [-1, -2], [2, 3], [0, 1]]));
        CollectionAssert.AreEqual(new[] { 0.5f, 0.5f }, apoz[0]);
    }

    [TestMethod]
    [DataRow("sigmoid")]
    [DataRow("tanh")]
    [DataRow("none")]
    public void Score_GroupWithoutAReluFamilyActivation_ThrowsNamingTheGroup(string activation)
    {
        // Before: after a Sigmoid every value is positive, every score tied at 1 and units went by index.
        var network = new Network(2);
        network.Add(Dense([[1, 0], [0, 1]], name: "hidden"));
        if (activation != "none")
        {
            network.Add(activation == "sigmoid" ? new Sigmoid("act") : new Tanh("act"));
        }

        network.Add(Dense([[1, 1]], name: "output"));
        var error = Assert.ThrowsExactly<CriterionNotApplicableException>(
            () => new ApozImportance().Score(network, PruningGroups.Find(network), Rows([[1, -1], [-1, 2]])));
        Assert.AreEqual("hidden", error.Group);
        StringAssert.Contains(error.Message, "group 'hidden'");
        StringAssert.Contains(error.Message, "ReLU");
    }

    [TestMethod]
    public void Run_CriterionGivingAGroupTiedScores_ReportsAWarningInTheStep()
    {
        // dense1's 16 units all score 0.5: the criterion cannot rank them, and the step says so.
        var network = new NetworkBuilder(21).Dense(16).Relu().Dense(8).Relu().Dense(3).Build(seed: 4);
        var criterion = new ScriptedImportance(g => g.Name == "dense1" ? Enumerable.Repeat(0.5f, g.UnitCount).ToArray() : Enumerable.Range(0, g.UnitCount).Select(u => (float)u).ToArray());
        var result = ScriptedPruning.Run(network, ScriptedPruning.Options(new StructuredPruning(criterion), new OneShotSchedule(0.25)), ScriptedPruning.Hooks(_ => 0.9));

        var warnings = result.Report.Steps[0].Warnings;
        Assert.IsNotNull(warnings);
        Assert.AreEqual(1, warnings.Count, string.Join(" | ", warnings));
        StringAssert.Contains(warnings[0], "all 16 units of group 'dense1' the same score (0.5)");
        StringAssert.Contains(result.Report.ToJson(), "the same score");
        StringAssert.Contains(result.Report.ToTable(), "warning: The criterion 'scripted' gave all 16 units");
    }
}
