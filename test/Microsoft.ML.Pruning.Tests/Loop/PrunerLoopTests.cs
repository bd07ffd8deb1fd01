using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Loop;

/// <summary>The pruning loop driven along scripted accuracy curves (no training), so every step can be checked by hand.</summary>
[TestClass]
public sealed class PrunerLoopTests
{
    // 21 -> 16 -> 8 -> 3: 336 + 128 + 24 = 488 weights and 27 biases.
    private static Network Mlp() => new NetworkBuilder(21).Dense(16).Relu().Dense(8).Relu().Dense(3).Build(seed: 4);

    [TestMethod]
    public void Run_FixedRate_PrunesUntilTheFirstRejectedStepAndRollsItBack()
    {
        // Accuracy 0.9 while at least 200 weights remain, else 0.8. At 0.2 per step: 488 -> 390 -> 312 -> 250 -> 200
        // (kept) -> 160 (rejected, rolled back), as Table I of seeds/002 prunes until the budget breaks.
        var method = new MaskingMethod();
        var result = ScriptedPruning.Run(Mlp(), ScriptedPruning.Options(method, new FixedRateSchedule(0.2)),
            ScriptedPruning.Hooks(n => ScriptedPruning.NonzeroWeights(n) >= 200 ? 0.9 : 0.8));

        var steps = result.Report.Steps;
        CollectionAssert.AreEqual(new[] { 98, 78, 62, 50, 40 }, steps.Select(s => s.Removed).ToArray());
        CollectionAssert.AreEqual(new[] { true, true, true, true, false }, steps.Select(s => s.Accepted).ToArray());
        CollectionAssert.AreEqual(new[] { 0.2, 0.2, 0.2, 0.2, 0.2 }, steps.Select(s => s.Rate).ToArray());
        CollectionAssert.AreEqual(new long[] { 390 + 27, 312 + 27, 250 + 27, 200 + 27, 160 + 27 }, steps.Select(s => s.Model.NonzeroParameters).ToArray());
        Assert.AreEqual(200, ScriptedPruning.NonzeroWeights(result.Network), "the rejected step is rolled back");
        Assert.AreEqual(227, result.Report.Final.NonzeroParameters);
        Assert.AreEqual(0.9, result.Report.Final.Accuracy!.Value, 1e-6);
        Assert.IsFalse(result.Cancelled);
    }

    [TestMethod]
    public void Run_RejectedStep_ReturnsTheLastAcceptedModelBitForBit()
    {
        // A scripted fine-tuning that moves every weight, so a rollback that kept any of the rejected step shows.
        static void FineTune(Network network, CancellationToken _)
        {
            foreach (var p in network.Parameters)
            {
                var span = p.Value.Span;
                for (int i = 0; i < span.Length; i++)
                {
                    span[i] = (span[i] * 1.5f) + 0.25f;
                }

                p.ApplyMask();
            }
        }

        var original = Mlp();
        var untouched = NetworkSerializer.Clone(original);
        // Evaluations: the baseline and step 0 score 0.9, step 1 scores 0.894.
        int evaluations = 0;
        var result = ScriptedPruning.Run(original, ScriptedPruning.Options(new MaskingMethod(), new FixedRateSchedule(0.3)),
            ScriptedPruning.Hooks(_ => ++evaluations <= 2 ? 0.9 : 0.894, FineTune));

        // Expected: the original with one step at 0.3 and one fine-tuning, built here independently of the loop.
        var expected = NetworkSerializer.Clone(untouched);
        new MaskingMethod().Apply(expected, 0.3, null);
        FineTune(expected, default);

        ScriptedPruning.AssertSameState(expected, result.Network);
        ScriptedPruning.AssertSameState(untouched, original);
        Assert.AreEqual(2, result.Report.Steps.Count);
        Assert.IsFalse(result.Report.Steps[1].Accepted, "0.006 > 0.005: rejected");
        Assert.IsTrue(result.Report.Steps[1].Model.NonzeroParameters < result.Report.Final.NonzeroParameters, "the rejected step pruned more than what was returned");
        StringAssert.Contains(result.Report.ToTable(), "rolled back");
    }

    [TestMethod]
    public void Run_AbsoluteAndRelativeBudgets_JudgeTheSameDropDifferently()
    {
        // Baseline 0.8, pruned 0.793: a drop of 0.007. Absolute 0.005 rejects it; relative 0.01 allows 0.008 and keeps it.
        PruningResult Run(BudgetKind kind, double maximumDrop)
        {
            var options = ScriptedPruning.Options(new MaskingMethod(), new OneShotSchedule(0.5), maximumDrop);
            options.BudgetKind = kind;
            return ScriptedPruning.Run(Mlp(), options, ScriptedPruning.Hooks(n => ScriptedPruning.NonzeroWeights(n) == 488 ? 0.8 : 0.793));
        }

        var absolute = Run(BudgetKind.Absolute, 0.005);
        Assert.AreEqual(0.005, absolute.Report.AllowedDrop!.Value, 1e-12);
        Assert.IsFalse(absolute.Report.Steps[0].Accepted);
        Assert.AreEqual(488, ScriptedPruning.NonzeroWeights(absolute.Network));

        var relative = Run(BudgetKind.Relative, 0.01);
        Assert.AreEqual(0.008, relative.Report.AllowedDrop!.Value, 1e-7);
        Assert.IsTrue(relative.Report.Steps[0].Accepted);
        Assert.AreEqual(244, ScriptedPruning.NonzeroWeights(relative.Network));
    }

    [TestMethod]
    public void Run_AdaptiveSchedule_FollowsAlgorithm1StepByStep()
    {
        // 20 -> 50 -> 3, only dense1 (1000 weights) pruned. Accuracy 0.9 - max(0, sparsity - 0.3), budget 0.05.
        // Step 0 probes 0.15, 0.2, 0.25, 0.3 (no drop), 0.35 (drop 0.05, not above the budget), 0.4 (drop 0.1: break),
        // so PR = 0.35; pruned at 0.35 it keeps 650 weights, accuracy 0.85: kept. Step 1 restarts from PR = 0.1 and
        // probes 0.15 (553 left, sparsity 0.447, drop 0.147: break), so PR = 0.1, unprobed; pruned, 585 left, sparsity
        // 0.415, drop 0.115: rejected, rolled back.
        var network = new NetworkBuilder(20).Dense(50).Relu().Dense(3).Build(seed: 2);
        var method = new MaskingMethod("dense1");
        var options = ScriptedPruning.Options(method, new AdaptiveRateSchedule(), maximumDrop: 0.05);
        var result = ScriptedPruning.Run(network, options,
            ScriptedPruning.Hooks(n => 0.9 - Math.Max(0, ((1000 - ScriptedPruning.NonzeroWeights(n, "dense1")) / 1000.0) - 0.3)));

        CollectionAssert.AreEqual(new[] { 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.35, 0.15, 0.1 }, method.Rates, "probes and steps, in call order");
        CollectionAssert.AreEqual(new[] { 0.35, 0.1 }, result.Report.Steps.Select(s => s.Rate).ToArray());
        CollectionAssert.AreEqual(new[] { true, false }, result.Report.Steps.Select(s => s.Accepted).ToArray());
        Assert.AreEqual(650, ScriptedPruning.NonzeroWeights(result.Network, "dense1"));
    }

    [TestMethod]
    public void Run_AdaptiveScheduleContinuing_StartsEachSearchFromTheLastRate()
    {
        // As above, but step 1 starts from 0.35 and probes 0.4 (sparsity 0.61: break), so PR = 0.35 again, unprobed;
        // pruned, sparsity about 0.577: rejected, rolled back.
        var network = new NetworkBuilder(20).Dense(50).Relu().Dense(3).Build(seed: 2);
        var method = new MaskingMethod("dense1");
        var options = ScriptedPruning.Options(method, new AdaptiveRateSchedule(restartEachStep: false), maximumDrop: 0.05);
        var result = ScriptedPruning.Run(network, options,
            ScriptedPruning.Hooks(n => 0.9 - Math.Max(0, ((1000 - ScriptedPruning.NonzeroWeights(n, "dense1")) / 1000.0) - 0.3)));

        CollectionAssert.AreEqual(new[] { 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.35, 0.4, 0.35 }, method.Rates, "probes and steps, in call order");
        CollectionAssert.AreEqual(new[] { 0.35, 0.35 }, result.Report.Steps.Select(s => s.Rate).ToArray());
        CollectionAssert.AreEqual(new[] { true, false }, result.Report.Steps.Select(s => s.Accepted).ToArray());
        Assert.AreEqual(650, ScriptedPruning.NonzeroWeights(result.Network, "dense1"));
    }

    [TestMethod]
    public void Run_PolynomialSchedule_ReachesTheFinalSparsity()
    {
        // 0.5 of 488 weights in 3 steps: cumulative targets 0.5 (1 - (2/3)^3) = 0.3519, 0.4815, 0.5.
        var method = new MaskingMethod();
        var result = ScriptedPruning.Run(Mlp(), ScriptedPruning.Options(method, new PolynomialSchedule(0.5, 3)), ScriptedPruning.Hooks(_ => 0.9));
        Assert.AreEqual(3, result.Report.Steps.Count);
        Assert.IsTrue(result.Report.Steps.All(s => s.Accepted));
        Assert.AreEqual(244, ScriptedPruning.NonzeroWeights(result.Network), "488 x (1 - 0.5), up to rounding of each step");
    }

    [TestMethod]
    public void Run_MaximumSteps_EndsTheRun()
    {
        var options = ScriptedPruning.Options(new MaskingMethod(), new FixedRateSchedule(0.1));
        options.MaximumSteps = 3;
        var result = ScriptedPruning.Run(Mlp(), options, ScriptedPruning.Hooks(_ => 0.9));
        Assert.AreEqual(3, result.Report.Steps.Count);
        Assert.IsTrue(result.Report.Steps.All(s => s.Accepted));
    }

    [TestMethod]
    public void Run_StepRemovesNothing_EndsTheRunWithoutFineTuning()
    {
        // 0.001 of 488 weights rounds to none.
        int fineTunings = 0;
        var result = ScriptedPruning.Run(Mlp(), ScriptedPruning.Options(new MaskingMethod(), new FixedRateSchedule(0.001)),
            ScriptedPruning.Hooks(_ => 0.9, (_, _) => fineTunings++));
        Assert.AreEqual(1, result.Report.Steps.Count);
        Assert.AreEqual(0, result.Report.Steps[0].Removed);
        Assert.AreEqual(0, fineTunings);
        Assert.AreEqual(488, ScriptedPruning.NonzeroWeights(result.Network));
    }

    [TestMethod]
    public void Run_ScheduleReturnsRateOutsideTheOpenInterval_ThrowsNamingTheSchedule()
    {
        var e = Assert.ThrowsException<InvalidOperationException>(() =>
            ScriptedPruning.Run(Mlp(), ScriptedPruning.Options(new MaskingMethod(), new BrokenSchedule()), ScriptedPruning.Hooks(_ => 0.9)));
        StringAssert.Contains(e.Message, "broken");
        StringAssert.Contains(e.Message, "rate 1 ");
    }

    [TestMethod]
    public void Run_Progress_ReportsEveryPhaseInOrder()
    {
        var phases = new List<PruningPhase>();
        var progress = new ProgressRelay<PruningProgress>(p => phases.Add(p.Phase));
        ScriptedPruning.Run(Mlp(), ScriptedPruning.Options(new MaskingMethod(), new OneShotSchedule(0.5)), ScriptedPruning.Hooks(_ => 0.9, (_, _) => { }), progress);
        CollectionAssert.AreEqual(
            new[] { PruningPhase.Baseline, PruningPhase.Baseline, PruningPhase.Pruning, PruningPhase.FineTuning, PruningPhase.Evaluating, PruningPhase.Completed },
            phases);
    }

    [TestMethod]
    public void Run_CalibrationSamples_GivesTheMethodASeededSubsetOfTheTrainingData()
    {
        var training = ScriptedPruning.RandomData(30, 21, seed: 1);
        int[] Drawn(int seed)
        {
            var method = new MaskingMethod();
            var options = ScriptedPruning.Options(method, new OneShotSchedule(0.5));
            options.CalibrationSamples = 7;
            options.Seed = seed;
            Pruner.RunCore(Mlp(), training, training, options, null, default, ScriptedPruning.Hooks(_ => 0.9));
            var calibration = (Dataset)method.Calibrations.Single()!;
            Assert.AreEqual(7, calibration.Count);

            // Which training rows were drawn, found by their features.
            return Enumerable.Range(0, 7)
                .Select(i => Enumerable.Range(0, training.Count).Single(j => training.GetSample(j).SequenceEqual(calibration.GetSample(i))))
                .ToArray();
        }

        var first = Drawn(seed: 3);
        Assert.AreEqual(7, first.Distinct().Count());
        CollectionAssert.AreEqual(first, Drawn(seed: 3));
        CollectionAssert.AreNotEqual(first, Drawn(seed: 4));
        Assert.AreSame(training, CalibrationSampler.Draw(training, 30, 0), "the whole set when it is not larger than asked");
    }

    private sealed class BrokenSchedule : IPruningSchedule
    {
        public string Name => "broken";

        public double? NextRate(PruningScheduleContext context) => 1;
    }
}
