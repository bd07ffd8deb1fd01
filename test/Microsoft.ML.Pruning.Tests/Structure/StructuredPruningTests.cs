using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Structure;

[TestClass]
public sealed class StructuredPruningTests
{
    private static Network Mlp() => new NetworkBuilder(6).Dense(5).Relu().Dense(4).Relu().Dense(3).Build(seed: 1);

    private static readonly Dictionary<string, float[]> MlpScores = new()
    {
        ["dense1"] = [5, 1, 4, 2, 3],
        ["dense2"] = [4, 3, 2, 1],
    };

    [TestMethod]
    public void Name_CombinesTheCriterionAndStructured()
    {
        var method = new StructuredPruning(ScriptedImportance.Fixed(MlpScores));

        Assert.AreEqual("scripted, structured", method.Name);
        Assert.IsFalse(method.RequiresData);
        Assert.IsTrue(new StructuredPruning(new ScriptedImportance(_ => [], requiresData: true)).RequiresData);
    }

    [TestMethod]
    public void Apply_PerLayer_RemovesTheLowestScoredUnitsOfEveryGroup()
    {
        var network = Mlp();
        var before = NetworkSerializer.Clone(network);

        // Rate 0.5: dense1 loses floor(2.5) = 2 (units 1 and 3, scores 1 and 2), dense2 loses 2 (units 3 and 2).
        int removed = new StructuredPruning(ScriptedImportance.Fixed(MlpScores)).Apply(network, 0.5, null);

        Assert.AreEqual(4, removed);
        AssertRowsKept(before, network, "dense1", [0, 2, 4]);
        AssertRowsKept(before, network, "dense2", [0, 1]);
    }

    [TestMethod]
    public void Apply_WithLayersOption_PrunesOnlyTheNamedGroup()
    {
        var network = Mlp();
        var before = NetworkSerializer.Clone(network);
        var importance = ScriptedImportance.Fixed(MlpScores);

        int removed = new StructuredPruning(importance, new StructuredPruningOptions { Layers = ["dense2"] }).Apply(network, 0.5, null);

        Assert.AreEqual(2, removed);
        AssertRowsKept(before, network, "dense1", [0, 1, 2, 3, 4]);
        AssertRowsKept(before, network, "dense2", [0, 1]);
    }

    [TestMethod]
    public void Apply_Global_RanksAcrossLayers()
    {
        var network = Mlp();
        var before = NetworkSerializer.Clone(network);
        var options = new StructuredPruningOptions { Ranking = RankingScope.Global };

        // 9 units, floor(0.34 · 9) = 3 lowest; ties go to the later group first: dense2 unit 3 (1), dense1 unit 1 (1),
        // dense2 unit 2 (2); dense1 unit 3 (2) stays.
        int removed = new StructuredPruning(ScriptedImportance.Fixed(MlpScores), options).Apply(network, 0.34, null);

        Assert.AreEqual(3, removed);
        AssertRowsKept(before, network, "dense1", [0, 2, 3, 4]);
        AssertRowsKept(before, network, "dense2", [0, 1]);
    }

    [TestMethod]
    public void Apply_OptionsChangedAfterConstruction_HasNoEffect()
    {
        var options = new StructuredPruningOptions { Layers = ["dense2"] };
        var method = new StructuredPruning(ScriptedImportance.Fixed(MlpScores), options);
        options.Layers = ["dense1"];
        options.MinimumUnits = 0;
        var network = Mlp();

        method.Apply(network, 0.5, null);

        Assert.AreEqual(5, ((Dense)network["dense1"].Layer).Outputs);
        Assert.AreEqual(2, ((Dense)network["dense2"].Layer).Outputs);
    }

    [TestMethod]
    public void Constructor_InvalidOptions_ThrowsNamingTheOption()
    {
        var importance = ScriptedImportance.Fixed(MlpScores);

        Assert.AreEqual("MinimumUnits", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new StructuredPruning(importance, new StructuredPruningOptions { MinimumUnits = 0 })).ParamName);
        Assert.AreEqual("ScoreThreshold", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new StructuredPruning(importance, new StructuredPruningOptions { ScoreThreshold = double.NaN })).ParamName);
        Assert.ThrowsException<ArgumentNullException>(() => new StructuredPruning(null!));
    }

    [TestMethod]
    public void Apply_RateOutsideZeroToOne_ThrowsNamingRate()
    {
        var method = new StructuredPruning(ScriptedImportance.Fixed(MlpScores));

        foreach (double rate in new[] { 0, -0.5, 1.01, double.NaN })
        {
            Assert.AreEqual("rate", Assert.ThrowsException<ArgumentOutOfRangeException>(() => method.Apply(Mlp(), rate, null)).ParamName, $"rate {rate}");
        }
    }

    [TestMethod]
    public void Apply_CriterionNeedingDataWithoutCalibration_ThrowsNamingIt()
    {
        var method = new StructuredPruning(new ScriptedImportance(g => new float[g.UnitCount], requiresData: true));

        var error = Assert.ThrowsException<ArgumentException>(() => method.Apply(Mlp(), 0.5, null));

        Assert.AreEqual("calibration", error.ParamName);
        StringAssert.Contains(error.Message, "'scripted'");
        var calibration = new Dataset(new FloatTensor(2, 6), [0, 1], 3);
        Assert.AreEqual(4, method.Apply(Mlp(), 0.5, calibration));
    }

    [TestMethod]
    public void Apply_CriterionReturningTheWrongNumberOfScores_ThrowsNamingTheGroup()
    {
        var method = new StructuredPruning(new ScriptedImportance(g => new float[g.Name == "dense2" ? 3 : g.UnitCount]));

        var error = Assert.ThrowsException<InvalidOperationException>(() => method.Apply(Mlp(), 0.5, null));

        StringAssert.Contains(error.Message, "3 scores for group 'dense2', which has 4 units");
    }

    [TestMethod]
    public void Apply_Cancelled_LeavesTheNetworkUnchanged()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var network = Mlp();
        long parameters = network.ParameterCount;

        Assert.ThrowsException<OperationCanceledException>(() =>
            new StructuredPruning(ScriptedImportance.Fixed(MlpScores)).Apply(network, 0.5, null, cancellation.Token));

        Assert.AreEqual(parameters, network.ParameterCount);
    }

    [TestMethod]
    public void Apply_NetworkWithoutGroups_RemovesNothingAndDoesNotScore()
    {
        var importance = new ScriptedImportance(g => new float[g.UnitCount]);

        Assert.AreEqual(0, new StructuredPruning(importance).Apply(new NetworkBuilder(4).Dense(2).Build(), 0.5, null));
        Assert.AreEqual(0, importance.Calls);
    }

    [TestMethod]
    public void Apply_ScoreThresholdAtRateOne_RemovesEveryUnitBelowIt()
    {
        var network = Mlp();
        var options = new StructuredPruningOptions { ScoreThreshold = 2.5 };

        // Under 2.5: dense1 units 1 (1) and 3 (2); dense2 units 3 (1) and 2 (2).
        Assert.AreEqual(4, new StructuredPruning(ScriptedImportance.Fixed(MlpScores), options).Apply(network, 1.0, null));
        Assert.AreEqual(3, ((Dense)network["dense1"].Layer).Outputs);
    }

    // The kept units' biases (independent of inputs removed before) and, where no input went, their weight rows.
    private static void AssertRowsKept(Network before, Network after, string layer, int[] kept)
    {
        var original = (Dense)before[layer].Layer;
        var pruned = (Dense)after[layer].Layer;
        Assert.AreEqual(kept.Length, pruned.Outputs, $"{layer}: units kept");
        for (int i = 0; i < kept.Length; i++)
        {
            Assert.AreEqual(original.Bias!.Value[kept[i]], pruned.Bias!.Value[i], $"{layer}: unit {i} should be original unit {kept[i]}");
            for (int j = 0; j < pruned.Inputs && pruned.Inputs == original.Inputs; j++)
            {
                Assert.AreEqual(original.Weight.Value[kept[i], j], pruned.Weight.Value[i, j], $"{layer}: row {i} should be original row {kept[i]}");
            }
        }
    }
}
