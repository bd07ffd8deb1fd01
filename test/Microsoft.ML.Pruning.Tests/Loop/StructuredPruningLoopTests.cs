using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tests.Structure;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Loop;

/// <summary>The loop and the sensitivity sweep with real structural removal (shapes change between steps).</summary>
[TestClass]
public sealed class StructuredPruningLoopTests
{
    private static Network Mlp() => new NetworkBuilder(21).Dense(16).Relu().Dense(8).Relu().Dense(3).Build(seed: 4);

    private static int Width(Network network, string layer) => ((Dense)network[layer].Layer).Outputs;

    // Scores each neuron by the L1 norm of its weight row.
    private static StructuredPruning L1Pruning(StructuredPruningOptions? options = null) => new(
        new ScriptedImportance(group =>
        {
            var weight = ((Dense)group.Producers[0].Layer).Weight.Value;
            int inputs = weight.Dim(1);
            return Enumerable.Range(0, weight.Dim(0)).Select(u => weight.Span.Slice(u * inputs, inputs).ToArray().Sum(MathF.Abs)).ToArray();
        }),
        options);

    [TestMethod]
    public void Run_StructuredRemovalWithAuxiliaryLayer_ShrinksLayersAndReturnsTheSmallerModel()
    {
        // Accuracy holds while dense1 keeps at least 6 neurons. At 0.5 per layer: 16-8 -> 8-4 (kept) -> 4-2 (rejected);
        // the auxiliary layer (10 units after relu1) is kept; 0.5 again shrinks dense1 to 4 (rejected). The auxiliary
        // model is larger, so the 8-4 model is returned.
        var options = ScriptedPruning.Options(L1Pruning(), new FixedRateSchedule(0.5));
        options.AuxiliaryLayerUnits = 10;
        var result = ScriptedPruning.Run(Mlp(), options, ScriptedPruning.Hooks(n => Width(n, "dense1") >= 6 ? 0.9 : 0.8));

        var steps = result.Report.Steps;
        Assert.AreEqual("prune:True prune:False auxiliary:True prune:False", string.Join(" ", steps.Select(s => $"{s.Phase}:{s.Accepted}")));
        CollectionAssert.AreEqual(new[] { 12, 6, 0, 11 }, steps.Select(s => s.Removed).ToArray(), "8 + 4; 4 + 2; none; 4 + 5 + 2");
        Assert.AreEqual((21 * 8) + 8 + (8 * 10) + 10 + (10 * 4) + 4 + (4 * 3) + 3, steps[2].Model.Parameters);

        Assert.AreEqual(8, Width(result.Network, "dense1"));
        Assert.AreEqual(4, Width(result.Network, "dense2"));
        Assert.IsFalse(result.Network.Nodes.Any(n => n.Layer.Name == AuxiliaryLayer.DenseName));
        Assert.AreEqual((21 * 8) + (8 * 4) + (4 * 3), result.Report.Final.MultiplyAdds);
        Assert.AreEqual((21 * 8) + 8 + (8 * 4) + 4 + (4 * 3) + 3, result.Report.Final.Parameters);
        CollectionAssert.AreEqual(new[] { 8, 4, 3 }, result.Report.Final.Layers.Select(l => l.Units).ToArray());
        Assert.AreEqual(16, result.Report.Baseline.Layers[0].Units);
        StringAssert.Contains(result.Report.ToTable(), "scripted, structured");
    }

    [TestMethod]
    public void AnalyzeSensitivity_StructuredPruningOfOneLayer_LeavesTheOthersWhole()
    {
        // Accuracy 0.9 - 0.01 per neuron lost in dense1 - 0.02 per neuron lost in dense2.
        var network = Mlp();
        var points = SensitivityAnalysis.Run(network, null, ["dense1", "dense2"],
            name => L1Pruning(new StructuredPruningOptions { Layers = [name] }), [0.25, 0.5],
            (n, _) => new EvaluationResult((float)(0.9 - (0.01 * (16 - Width(n, "dense1"))) - (0.02 * (8 - Width(n, "dense2")))), 0, 1),
            null, default);

        Assert.AreEqual("dense1 0.04|dense1 0.08|dense2 0.04|dense2 0.08", string.Join("|", points.Select(p => FormattableString.Invariant($"{p.Layer} {Math.Round(p.AccuracyDrop, 6)}"))));
        Assert.AreEqual(16, Width(network, "dense1"), "the input network is not pruned");
    }
}
