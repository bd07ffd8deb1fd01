using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Loop;

[TestClass]
public sealed class SensitivityAnalysisTests
{
    // 21 -> 8 -> 6 -> 3: dense1 has 168 weights, dense2 48.
    private static Network Mlp() => new NetworkBuilder(21).Dense(8).Relu().Dense(6).Relu().Dense(3).Build(seed: 2);

    private static double MaskedFraction(Network network, string layer) =>
        1 - (ScriptedPruning.NonzeroWeights(network, layer) / (double)ScriptedPruning.DenseWeights(network, layer)[0].Length);

    [TestMethod]
    public void Run_ScriptedCurve_RecordsEachLayerAloneAndWritesTheCsv()
    {
        // Accuracy 0.9 - 0.2 x (dense1's masked fraction) - 0.1 x (dense2's): dense1 is twice as sensitive.
        var network = Mlp();
        var untouched = NetworkSerializer.Clone(network);
        var points = SensitivityAnalysis.Run(network, null, ["dense1", "dense2"], name => new MaskingMethod(name), [0.25, 0.5],
            (n, _) => new EvaluationResult((float)(0.9 - (0.2 * MaskedFraction(n, "dense1")) - (0.1 * MaskedFraction(n, "dense2"))), 0, 1),
            null, default);

        ScriptedPruning.AssertSameState(untouched, network);
        Assert.AreEqual("dense1 0.25 0.05|dense1 0.5 0.1|dense2 0.25 0.025|dense2 0.5 0.05",
            string.Join("|", points.Select(p => FormattableString.Invariant($"{p.Layer} {p.Rate} {Math.Round(p.AccuracyDrop, 6)}"))));
        Assert.AreEqual(
            "layer,rate,accuracy,accuracy_drop\ndense1,0.25,0.85,0.05\ndense1,0.5,0.8,0.1\ndense2,0.25,0.875,0.025\ndense2,0.5,0.85,0.05\n",
            new PruningReport { Sensitivity = points }.SensitivityToCsv());
    }

    [TestMethod]
    public void AnalyzeSensitivity_RealEvaluation_MatchesPruningACopyByHand()
    {
        var network = Mlp();
        var validation = WaveformGenerator.Generate(120, seed: 4);
        var points = Pruner.AnalyzeSensitivity(network, null, validation, ["dense2"], name => new MaskingMethod(name), [0.75]);

        var copy = NetworkSerializer.Clone(network);
        new MaskingMethod("dense2").Apply(copy, 0.75, null);
        var point = points.Single();
        Assert.AreEqual(Evaluator.Evaluate(copy, validation).Accuracy, point.Accuracy, 1e-7);
        Assert.AreEqual(Evaluator.Evaluate(network, validation).Accuracy - point.Accuracy, point.AccuracyDrop, 1e-7);
        Assert.AreEqual(48, ScriptedPruning.NonzeroWeights(network, "dense2"), "the input network is not pruned");
    }

    [TestMethod]
    public void AnalyzeSensitivity_BadArguments_ThrowNamingThem()
    {
        var network = Mlp();
        var validation = WaveformGenerator.Generate(30, seed: 4);
        Func<string, PruningMethod> method = name => new MaskingMethod(name);

        var unknown = Assert.ThrowsException<ArgumentException>(() => Pruner.AnalyzeSensitivity(network, null, validation, ["relu1"], method, [0.5]));
        Assert.AreEqual("layers", unknown.ParamName);
        StringAssert.Contains(unknown.Message, "'relu1'");
        StringAssert.Contains(unknown.Message, "dense1, dense2, dense3");
        Assert.AreEqual("layers", Assert.ThrowsException<ArgumentException>(() => Pruner.AnalyzeSensitivity(network, null, validation, [], method, [0.5])).ParamName);
        Assert.AreEqual("rates", Assert.ThrowsException<ArgumentOutOfRangeException>(() => Pruner.AnalyzeSensitivity(network, null, validation, ["dense1"], method, [0.5, 1])).ParamName);
        Assert.AreEqual("rates", Assert.ThrowsException<ArgumentException>(() => Pruner.AnalyzeSensitivity(network, null, validation, ["dense1"], method, [])).ParamName);
        Assert.AreEqual("validation", Assert.ThrowsException<ArgumentException>(() => Pruner.AnalyzeSensitivity(network, null, validation.Take(0), ["dense1"], method, [0.5])).ParamName);
        Assert.ThrowsException<InvalidOperationException>(() => Pruner.AnalyzeSensitivity(network, null, validation, ["dense1"], _ => null!, [0.5]));
        Assert.ThrowsException<OperationCanceledException>(() => Pruner.AnalyzeSensitivity(network, null, validation, ["dense1"], method, [0.5], cancellationToken: new CancellationToken(true)));
    }
}
