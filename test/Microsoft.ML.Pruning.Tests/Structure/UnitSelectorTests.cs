using Microsoft.ML.Pruning.Structure;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Structure;

[TestClass]
public sealed class UnitSelectorTests
{
    // One group from which nothing is removed (a bare [] would mean no groups at all).
    private static readonly int[] None = [];

    private static int[][] Select(double rate, StructuredPruningOptions options, params float[][] scores) =>
        UnitSelector.Select(scores.Select((_, i) => $"g{i}").ToArray(), scores, rate, options);

    private static void AssertRemoved(int[][] actual, params int[][] expected)
    {
        Assert.AreEqual(expected.Length, actual.Length, "group count");
        for (int g = 0; g < expected.Length; g++)
        {
            CollectionAssert.AreEqual(expected[g], actual[g], $"group {g}: removed [{string.Join(", ", actual[g])}]");
        }
    }

    [TestMethod]
    public void PerLayer_RemovesFloorOfRateTimesCountLowestPerGroup()
    {
        // g0: 10 units, 0.3 · 10 = 3 lowest (scores 0, 1, 2 at units 9, 8, 7). g1: 5 units, 0.3 · 5 = 1.5 -> 1 (unit 2).
        float[] g0 = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
        float[] g1 = [5, 6, 1, 7, 8];

        AssertRemoved(Select(0.3, new(), g0, g1), [7, 8, 9], [2]);
    }

    [TestMethod]
    public void PerLayer_Ties_GoToTheHigherIndexFirst()
    {
        AssertRemoved(Select(0.5, new(), [1, 1, 1, 1]), [2, 3]);
        AssertRemoved(Select(0.25, new(), [2, 1, 3, 1]), [3]);
    }

    [TestMethod]
    public void PerLayer_RateNearAnInteger_CountsThatInteger()
    {
        // 0.29 · 100 is 28.999999999999996 in floating point; it counts as 29.
        var scores = Enumerable.Range(0, 100).Select(i => (float)i).ToArray();

        Assert.AreEqual(29, Select(0.29, new(), scores)[0].Length);
        Assert.AreEqual(0, Select(0.009, new(), scores)[0].Length);
        Assert.AreEqual(0, Select(0.0, new(), scores)[0].Length);
    }

    [TestMethod]
    public void Global_RanksAllGroupsTogether()
    {
        // 7 units, 3/7 of them = 3: scores 0.05 (g1 u3), 0.1 (g0 u0), 0.2 (g1 u0).
        float[] g0 = [0.1f, 0.9f, 0.5f];
        float[] g1 = [0.2f, 0.3f, 0.8f, 0.05f];

        AssertRemoved(Select(3.0 / 7, new() { Ranking = RankingScope.Global }, g0, g1), [0], [0, 3]);
    }

    [TestMethod]
    public void Global_TiesAcrossGroups_GoToTheLaterGroupFirst()
    {
        AssertRemoved(Select(0.25, new() { Ranking = RankingScope.Global }, [1, 1], [1, 1]), [], [1]);
    }

    [TestMethod]
    public void Global_GroupRankedAllLowest_KeepsMinimumUnitsAndTheOthersMakeUpTheRest()
    {
        // 0.5 · 8 = 4 go, the 4 lowest all in g0, which must keep 2: its 2 lowest go and g1's 2 lowest make up the rest
        // (issue 13, item 7; g1 used to lose nothing, so 2 of the 4 asked were removed).
        float[] g0 = [0, 1, 2, 3];
        float[] g1 = [10, 11, 12, 13];

        AssertRemoved(Select(0.5, new() { Ranking = RankingScope.Global, MinimumUnits = 2 }, g0, g1), [0, 1], [0, 1]);
    }

    [TestMethod]
    public void MinimumUnits_CapsTheRemoval()
    {
        AssertRemoved(Select(1.0, new() { MinimumUnits = 2 }, [4, 3, 2, 1]), [2, 3]);
        AssertRemoved(Select(1.0, new() { MinimumUnits = 5 }, [4, 3, 2]), None);
        AssertRemoved(Select(1.0, new(), [4, 3, 2]), [1, 2]);
    }

    [TestMethod]
    public void RoundTo_RoundsTheUnitsKeptUpToAMultiple()
    {
        float[] ten = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
        var fours = new StructuredPruningOptions { RoundTo = 4 };

        // 3 to go leaves 7, rounded up to 8: only the 2 lowest go.
        AssertRemoved(Select(0.3, fours, ten), [8, 9]);

        // 5 to go leaves 5 -> 8; 1 to go leaves 9 -> 12, more than the 10 there are: nothing goes.
        AssertRemoved(Select(0.5, fours, ten), [8, 9]);
        AssertRemoved(Select(0.1, fours, ten), None);

        // 8 to go leaves 2 -> 4.
        AssertRemoved(Select(0.8, fours, ten), [4, 5, 6, 7, 8, 9]);
    }

    [TestMethod]
    public void RoundTo_AppliesAfterMinimumUnits()
    {
        // 8 units, 7 to go leaves 1, raised to the minimum 3, rounded up to 4: 4 go.
        AssertRemoved(Select(0.9, new() { MinimumUnits = 3, RoundTo = 4 }, [7, 6, 5, 4, 3, 2, 1, 0]), [4, 5, 6, 7]);
    }

    [TestMethod]
    public void ScoreThreshold_RemovesUnitsBelowItWithTheRateAsCap()
    {
        float[] scores = [5, 20, 3, 30, 14, 15];
        var options = new StructuredPruningOptions { ScoreThreshold = 15 };

        // Below 15: units 2 (3), 0 (5), 4 (14); 15 itself stays.
        AssertRemoved(Select(1.0, options, scores), [0, 2, 4]);

        // The rate caps at 0.4 · 6 = 2.4 -> 2: the two lowest under the threshold.
        AssertRemoved(Select(0.4, options, scores), [0, 2]);
        AssertRemoved(Select(1.0, new() { ScoreThreshold = 1 }, scores), None);
    }

    [TestMethod]
    public void ScoreThreshold_Global_CapsOverAllUnits()
    {
        // 8 units, cap 0.25 · 8 = 2; under 10: 1 (g1 u1), 2 (g0 u0), 4 (g1 u0), 9 (g0 u3).
        float[] g0 = [2, 50, 60, 9];
        float[] g1 = [4, 1, 70, 80];
        var options = new StructuredPruningOptions { Ranking = RankingScope.Global, ScoreThreshold = 10 };

        AssertRemoved(Select(0.25, options, g0, g1), [0], [1]);
        AssertRemoved(Select(1.0, options, g0, g1), [0, 3], [0, 1]);
    }

    [TestMethod]
    public void Select_BadInput_ThrowsNamingWhatIsWrong()
    {
        Assert.AreEqual("rate", Assert.ThrowsException<ArgumentOutOfRangeException>(() => Select(1.5, new(), [1])).ParamName);
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => Select(-0.1, new(), [1]));
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => Select(double.NaN, new(), [1]));
        var nan = Assert.ThrowsException<ArgumentException>(() => Select(0.5, new(), [1, 2], [3, float.NaN]));
        StringAssert.Contains(nan.Message, "Group 'g1': the score of unit 1 is NaN");
        Assert.ThrowsException<ArgumentException>(() => UnitSelector.Select(["a", "b"], [[1f]], 0.5, new()));
    }
}
