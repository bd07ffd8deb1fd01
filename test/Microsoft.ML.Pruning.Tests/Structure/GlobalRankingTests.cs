using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Structure;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Criteria.CriteriaTestSupport;

namespace Microsoft.ML.Pruning.Tests.Structure;

/// <summary>Global ranking moves the budget past groups at their minimum, and residual groups score on the common scale (issue 13, item 7).</summary>
[TestClass]
public sealed class GlobalRankingTests
{
    private static int[][] Select(double rate, StructuredPruningOptions options, params float[][] scores) =>
        UnitSelector.Select(scores.Select((_, i) => $"g{i}").ToArray(), scores, rate, options);

    [TestMethod]
    public void Global_GroupReachingItsMinimum_PassesTheRestOfTheBudgetToTheOthers()
    {
        // g0: 4 units scoring 0.1-0.4, below all of g1's 28 (1-28). Rate 0.5 of 32 units: 16 go. The 16 lowest are g0's 4
        // and g1's 12, but g0 keeps at least 1, so g1 gives its 13th lowest too: 3 + 13 = 16. Before: 3 + 12 = 15.
        float[] g0 = [0.1f, 0.2f, 0.3f, 0.4f];
        var g1 = Enumerable.Range(1, 28).Select(v => (float)v).ToArray();
        var removed = Select(0.5, new StructuredPruningOptions { Ranking = RankingScope.Global }, g0, g1);

        Assert.AreEqual(16, removed.Sum(r => r.Length));
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, removed[0], "the highest of the four (0.4) stays");
        CollectionAssert.AreEqual(Enumerable.Range(0, 13).ToArray(), removed[1]);
    }

    [TestMethod]
    public void Global_MinimumWithRounding_PassesOverTheGroupAtItsRoundedFloor()
    {
        // MinimumUnits 1 rounded up to RoundTo 2: g0 keeps 2 of its 4, so g1 takes 4 of the 6 removals asked (0.5 of 12).
        var removed = Select(0.5, new StructuredPruningOptions { Ranking = RankingScope.Global, RoundTo = 2 }, [0.1f, 0.2f, 0.3f, 0.4f], [1, 2, 3, 4, 5, 6, 7, 8]);
        CollectionAssert.AreEqual(new[] { 0, 1 }, removed[0]);
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3 }, removed[1]);
    }

    [TestMethod]
    public void WeightNorm_ResidualGroup_ScoresEachUnitWithTheMeanOfItsProducersNorms()
    {
        // a (2→3) and b (3→3) meet at an Add. L1 rows: a 2, 2, 3; b 1, 0, 3. Mean: 1.5, 1, 3 (the sum, 3, 2, 6, ranked the
        // residual group's units twice as high as a plain layer's with the same weights).
        var network = new Network(2);
        int a = network.Add(Dense([[1, 1], [2, 0], [0, 3]], name: "a"));
        int relu = network.Add(new Relu("relu"));
        int b = network.Add(Dense([[1, 0, 0], [0, 0, 0], [1, 1, 1]], name: "b"), relu);
        network.Add(new Add("add"), a, b);
        network.Add(new Relu("relu2"));
        network.Add(Dense([[1, 1, 1], [1, -1, 1]], name: "output"));
        var groups = PruningGroups.Find(network);
        var residual = groups.Single(g => g.Producers.Count == 2);

        var scores = new WeightNormImportance(WeightNorm.L1).Score(network, [residual], null);
        CollectionAssert.AreEqual(new[] { 1.5f, 1f, 3f }, scores[0]);
    }
}
