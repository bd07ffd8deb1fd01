using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Workflow;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Workflow;

/// <summary>The runner: stages in order on one data set, the held-out rows they share, seeds, cancellation and the budget.</summary>
[TestClass]
public sealed class StageRunnerTests
{
    private static readonly Dataset Data = WaveformGenerator.Generate(300, seed: 5);

    [TestMethod]
    public void TrainThenPruneThenFineTune_HoldsOutTheSameRows_AndGivesTheSameModelForTheSameSeeds()
    {
        float[] Run(out StageResult result)
        {
            result = StageRunner.Run(
                [
                    new TrainingStage(Architecture(), new StageTrainingOptions(3) { LearningRate = 0.01, BatchSize = 32 }, seed: 4),
                    new PruningStage(new StructuredPruning(new WeightNormImportance(WeightNorm.L1)), new OneShotSchedule(0.25), seed: 5) { MaximumAccuracyDrop = 1 },
                    new FineTuningStage(new StageTrainingOptions(2) { BatchSize = 32 }, seed: 6),
                ],
                Data);
            return result.Network.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();
        }

        var first = Run(out var result);
        var second = Run(out _);

        CollectionAssert.AreEqual(first, second, "the same seeds and data give the same weights");
        Assert.AreEqual(3, result.StageReports.Count);
        for (int i = 1; i < result.StageReports.Count; i++)
        {
            // A stage's baseline is the model the one before it left, measured again: the same rows give the same accuracy.
            Assert.AreEqual(result.StageReports[i - 1].Final.Accuracy, result.StageReports[i].Baseline.Accuracy, $"stage {i}");
        }

        Assert.AreEqual(result.StageReports[1].Baseline.Accuracy, result.Report.Baseline.Accuracy, "the run's baseline is the model as it entered the first stage after training");
        Assert.AreEqual(1.0, result.Report.AllowedDrop, "the pruning stage's budget, from that baseline");
        Assert.IsTrue(result.PrunedAnything);
        Assert.IsTrue(result.StageReports[0].Final.Accuracy > 0.6, $"training worked ({result.StageReports[0].Final.Accuracy:P1})");
    }

    [TestMethod]
    public void StagesOutOfOrder_FailBeforeAnyWork_NamingWhatIsWrong()
    {
        var model = new PretrainedStage(Architecture(), "network", seed: 1);
        var pruning = new PruningStage(new StructuredPruning(new WeightNormImportance(WeightNorm.L1)), new OneShotSchedule(0.5), seed: 1);
        var started = StageRunner.Run(model, null, Data);

        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => StageRunner.Run(pruning, null, Data)).Message, "run a model stage (TrainingStage or PretrainedStage) first");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => StageRunner.Run(model, started, Data)).Message, "starts a run");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => StageRunner.Run([], Data)).Message, "at least one stage");
    }

    [TestMethod]
    public void AStageCancelledBeforeItBegins_ReturnsTheModelItWasGiven_MarkedCancelled()
    {
        var started = StageRunner.Run(new PretrainedStage(Architecture(), "network", seed: 1), null, Data);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        var result = StageRunner.Run(new FineTuningStage(new StageTrainingOptions(1), seed: 2), started, Data, cancellationToken: cancellation.Token);

        Assert.IsTrue(result.Cancelled);
        Assert.AreSame(started.Network, result.Network);
        Assert.AreEqual(1, result.StageReports.Count, "the cancelled stage adds no report");
    }

    [TestMethod]
    public void StageValues_CheckEverySettingWhenItIsSet_NamingIt()
    {
        var method = new StructuredPruning(new WeightNormImportance(WeightNorm.L1));
        var cases = new (string Option, Action Build)[]
        {
            ("Epochs", () => _ = new StageTrainingOptions(0)),
            ("LearningRate", () => _ = new StageTrainingOptions(1) { LearningRate = double.NaN }),
            ("BatchSize", () => _ = new StageTrainingOptions(1) { BatchSize = 0 }),
            ("ValidationFraction", () => _ = new PretrainedStage(Architecture(), "network", 1) { ValidationFraction = 0.7 }),
            ("MaximumAccuracyDrop", () => _ = new PruningStage(method, new OneShotSchedule(0.5), 1) { MaximumAccuracyDrop = 2 }),
            ("CalibrationSamples", () => _ = new PruningStage(method, new OneShotSchedule(0.5), 1) { CalibrationSamples = 0 }),
            ("MaximumSteps", () => _ = new PruningStage(method, new OneShotSchedule(0.5), 1) with { MaximumSteps = 0 }),
            ("AuxiliaryLayerUnits", () => _ = new PruningStage(method, new OneShotSchedule(0.5), 1) { AuxiliaryLayerUnits = 0 }),
        };
        foreach (var (option, build) in cases)
        {
            Assert.AreEqual(option, Assert.ThrowsExactly<ArgumentOutOfRangeException>(build, option).ParamName);
        }
    }

    [TestMethod]
    public void ALaterPruningStage_GetsWhatTheRunsBudgetHasLeft_AndNothingOnceItIsSpent()
    {
        var stage = new PruningStage(new StructuredPruning(new WeightNormImportance(WeightNorm.L1)), new OneShotSchedule(0.5), seed: 1) { MaximumAccuracyDrop = 0.03 };

        var first = RunBudget.For(stage, After(0.80));
        var left = RunBudget.For(stage, After(0.80, 0.80, 0.79));
        var spent = RunBudget.For(stage, After(0.80, 0.80, 0.76));
        var relative = RunBudget.For(stage with { MaximumAccuracyDrop = 0.05, BudgetKind = BudgetKind.Relative }, After(0.80, 0.80, 0.79));

        Assert.AreEqual((0.03, BudgetKind.Absolute, (double?)null), (first.StageDrop, first.StageKind, first.RunAllowedDrop), "the first stage after the model stage: its own baseline is the run's");
        Assert.AreEqual(0.02, left.StageDrop, 1e-9, "one point of three spent");
        Assert.AreEqual(0.03, left.RunAllowedDrop);
        Assert.IsNull(left.Spent);
        Assert.AreEqual(0, spent.StageDrop, "four points spent of three: no step may lose more");
        StringAssert.Contains(spent.Spent, "the run's budget is already spent");
        Assert.AreEqual(0.04 - 0.01, relative.StageDrop, 1e-9, "5 % of the 80 % baseline, less the point spent");
    }

    /// <summary>A run whose stages' held-out accuracies were <paramref name="accuracies"/> (the model stage's first).</summary>
    private static StageResult After(params double[] accuracies)
    {
        var reports = accuracies.Select((a, i) => new PruningReport
        {
            Baseline = new ModelSnapshot { Accuracy = i == 0 ? a : accuracies[i - 1] },
            Final = new ModelSnapshot { Accuracy = a },
        }).ToArray();
        return new StageResult(Architecture(), reports, cancelled: false, new HeldOutSplit(1, 0.1), allowedDrop: null);
    }

    private static Network Architecture() => new NetworkBuilder(21).Dense(16).Relu().Dense(3).Build(seed: 11);
}
