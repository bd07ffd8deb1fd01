using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tests.Structure;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Loop;

/// <summary>Schedules under structural removal: rates from what remains, empty steps, one scoring per step (issue 13, items 3 and 6).</summary>
[TestClass]
public sealed class ScheduledStructuredRunTests
{
    private static Network Mlp() => new NetworkBuilder(21).Dense(16).Relu().Dense(8).Relu().Dense(3).Build(seed: 4);

    private static int Width(Network network, string layer) => ((Dense)network[layer].Layer).Outputs;

    private static ScriptedImportance ByIndex() => new(group => Enumerable.Range(0, group.UnitCount).Select(u => (float)u).ToArray());

    [TestMethod]
    public void Run_PolynomialHalfOf16UnitsIn5Steps_EndsAt8Units()
    {
        // s_t = 0.5·(1 − (1 − t/5)³): 0.244, 0.392, 0.468, 0.496, 0.5, i.e. 12.1, 9.7, 8.5, 8.06 and 8 units left.
        // Planned from what remains, each step removes floor(rate · units): 16 → 13 → 10 → 9, then 0.104 of 9 removes
        // nothing and the last step, 0.111 of 9, reaches 8. Before, the rates came from the ideal targets (16 → 13 → 11
        // → 10): step 4 asked 0.053 of 10 units, removed nothing, and the run ended at 10.
        var method = new StructuredPruning(ByIndex(), new StructuredPruningOptions { Layers = ["dense1"] });
        var result = ScriptedPruning.Run(Mlp(), ScriptedPruning.Options(method, new PolynomialSchedule(0.5, 5)), ScriptedPruning.Hooks(_ => 0.9));

        CollectionAssert.AreEqual(new[] { 3, 3, 1, 0, 1 }, result.Report.Steps.Select(s => s.Removed).ToArray());
        Assert.AreEqual(8, Width(result.Network, "dense1"));
        Assert.AreEqual(8, result.Report.Final.Layers[0].Units);
    }

    [TestMethod]
    public void Run_StepThatRemovesNothing_IsRecordedAndTheScheduleGoesOn()
    {
        // Polynomial 0.6 of dense2's 8 units in 6 steps: targets 0.253, 0.422, 0.525, 0.578, 0.597, 0.6, i.e. 5.98, 4.62,
        // 3.8, 3.38, 3.22 and 3.2 units left. 8 → 6 → 5 → 4 → 4 (rate 0.156 of 4 removes nothing) → 4 (0.194 of 4,
        // nothing) → 4 (0.2 of 4, nothing): 3.2 units cannot be kept. Before, the first empty step (the third, at 0.178) ended the run.
        var method = new StructuredPruning(ByIndex(), new StructuredPruningOptions { Layers = ["dense2"] });
        var result = ScriptedPruning.Run(Mlp(), ScriptedPruning.Options(method, new PolynomialSchedule(0.6, 6)), ScriptedPruning.Hooks(_ => 0.9));

        CollectionAssert.AreEqual(new[] { 2, 1, 1, 0, 0, 0 }, result.Report.Steps.Select(s => s.Removed).ToArray());
        Assert.IsTrue(result.Report.Steps.All(s => s.Accepted));
        Assert.AreEqual(4, Width(result.Network, "dense2"));
    }

    [TestMethod]
    public void Run_FixedRateStepThatRemovesNothing_EndsTheRunAtTheNextStep()
    {
        // 0.1 of 8 units removes nothing, and the unchanged model at the same rate would remove nothing again.
        var method = new StructuredPruning(ByIndex(), new StructuredPruningOptions { Layers = ["dense2"] });
        var result = ScriptedPruning.Run(Mlp(), ScriptedPruning.Options(method, new FixedRateSchedule(0.1)), ScriptedPruning.Hooks(_ => 0.9));
        Assert.AreEqual(1, result.Report.Steps.Count);
        Assert.AreEqual(0, result.Report.Steps[0].Removed);
    }

    [TestMethod]
    public void Run_AdaptiveSearch_ScoresTheModelOncePerStep()
    {
        // The probes at 0.15, 0.2, ..., 0.95 all pass, so the first step searches 17 rates and prunes at 0.95. Before,
        // each probe and the step itself scored the unchanged model again: 18 identical scoring passes.
        var criterion = ByIndex();
        var options = ScriptedPruning.Options(new StructuredPruning(criterion), new AdaptiveRateSchedule());
        options.MaximumSteps = 1;
        var result = ScriptedPruning.Run(Mlp(), options, ScriptedPruning.Hooks(_ => 0.9));

        Assert.AreEqual(0.95, result.Report.Steps[0].Rate, 1e-12);
        Assert.AreEqual(1, criterion.Calls);
        Assert.AreEqual(1, Width(result.Network, "dense1"), "floor(0.95 · 16) = 15 removed");
    }
}
