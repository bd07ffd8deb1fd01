using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Loop;

/// <summary>The public entry point with the real evaluator and trainer, on a small waveform MLP.</summary>
[TestClass]
public sealed class PrunerRunTests
{
    private static (Network Network, Dataset Train, Dataset Validation) Trained()
    {
        var train = WaveformGenerator.Generate(300, seed: 1);
        var validation = WaveformGenerator.Generate(150, seed: 2);
        var network = new NetworkBuilder(21).Dense(16).Relu().Dense(3).Build(seed: 1);
        new Trainer(new TrainerOptions { Epochs = 5, BatchSize = 32, Seed = 1 }).Fit(network, train);
        return (network, train, validation);
    }

    [TestMethod]
    public void Run_RealFineTuning_FillsTheReportAndLeavesTheInputUntouched()
    {
        var (network, train, validation) = Trained();
        var untouched = NetworkSerializer.Clone(network);
        var options = new PrunerOptions
        {
            Method = new MaskingMethod(),
            Schedule = new OneShotSchedule(0.5),
            MaximumAccuracyDrop = 1,
            FineTuning = new TrainerOptions { Epochs = 1, BatchSize = 32, Seed = 3 },
        };

        var result = Pruner.Run(network, train, validation, options);

        ScriptedPruning.AssertSameState(untouched, network);
        var report = result.Report;
        Assert.AreEqual("scripted masking", report.Method);
        Assert.AreEqual("one-shot 0.5", report.Schedule);
        Assert.AreEqual(1, report.Steps.Count);
        Assert.IsTrue(report.Steps[0].Accepted);
        Assert.AreEqual(192, report.Steps[0].Removed, "half of 21 x 16 + 16 x 3 = 384 weights");

        Assert.AreEqual(Evaluator.Evaluate(untouched, validation).Accuracy, report.Baseline.Accuracy!.Value, 1e-7);
        Assert.AreEqual(Evaluator.Evaluate(result.Network, validation).Accuracy, report.Final.Accuracy!.Value, 1e-7);
        Assert.AreEqual(Evaluator.Evaluate(result.Network, validation).Loss, report.Final.Loss!.Value, 1e-6);
        Assert.AreEqual(untouched.ParameterCount, report.Baseline.Parameters);
        Assert.AreEqual(report.Baseline.NonzeroParameters - 192, report.Final.NonzeroParameters, "masked weights stay zero through fine-tuning");
        Assert.AreEqual(untouched.MultiplyAdds, report.Final.MultiplyAdds, "masking keeps the shapes");
        using var onnx = new MemoryStream();
        OnnxModel.Save(result.Network, onnx);
        Assert.AreEqual(onnx.Length, report.Final.ModelBytes);
        Assert.AreEqual(2, report.Final.Layers.Count);
        Assert.IsTrue(report.Baseline.LatencyBatch1Milliseconds > 0 && report.Final.LatencyBatch256Milliseconds > 0);
        Assert.IsTrue(report.ElapsedSeconds > 0);
        Assert.IsFalse(result.Cancelled);
    }

    [TestMethod]
    public void Run_CancelledDuringRealFineTuning_ReturnsTheUnprunedCopy()
    {
        var (network, train, validation) = Trained();
        using var cancellation = new CancellationTokenSource();
        var options = new PrunerOptions { Method = new MaskingMethod(), MeasureLatency = false, FineTuning = new TrainerOptions { Epochs = 50, BatchSize = 8 } };
        var progress = new ProgressRelay<PruningProgress>(p =>
        {
            if (p.Phase == PruningPhase.FineTuning)
            {
                cancellation.Cancel();
            }
        });

        var result = Pruner.Run(network, train, validation, options, progress, cancellation.Token);

        Assert.IsTrue(result.Cancelled);
        Assert.AreEqual(0, result.Report.Steps.Count);
        ScriptedPruning.AssertSameState(network, result.Network);
    }

    [TestMethod]
    public void Run_GivenOptimizer_IsNotChangedByAnyFineTuning()
    {
        var (network, train, validation) = Trained();
        var optimizer = new SgdOptimizer(0.05f, 0.9f);
        var options = new PrunerOptions
        {
            Method = new MaskingMethod(),
            Schedule = new FixedRateSchedule(0.1, maximumSteps: 2),
            MaximumAccuracyDrop = 1,
            MeasureLatency = false,
            FineTuning = new TrainerOptions { Epochs = 2, BatchSize = 64, Optimizer = optimizer, LearningRateSchedule = new StepLearningRate(1, 0.1f) },
        };

        var result = Pruner.Run(network, train, validation, options);

        // Before: each fine-tuning set the given optimizer's rate (0.05, then 0.05 x 0.1 in its second epoch), and the loop
        // had to put it back before the next one. A fit now steps its own copy, so the optimizer keeps its rate.
        Assert.AreEqual(2, result.Report.Steps.Count);
        Assert.AreEqual(0.05f, optimizer.LearningRate);
    }

    [TestMethod]
    public void Run_BadArguments_ThrowNamingTheArgument()
    {
        var (network, train, validation) = Trained();
        var options = new PrunerOptions { Method = new MaskingMethod() };
        Assert.AreEqual("training", Assert.ThrowsException<ArgumentException>(() => Pruner.Run(network, train.Take(0), validation, options)).ParamName);
        Assert.AreEqual("validation", Assert.ThrowsException<ArgumentException>(() => Pruner.Run(network, train, validation.Take(0), options)).ParamName);
        var wide = WaveformGenerator.Generate(20, seed: 3, withNoiseAttributes: true);
        var e = Assert.ThrowsException<ArgumentException>(() => Pruner.Run(network, train, wide, options));
        Assert.AreEqual("validation", e.ParamName);
        StringAssert.Contains(e.Message, "[40]");
        Assert.ThrowsException<ArgumentNullException>(() => Pruner.Run(network, train, validation, null!));
        Assert.AreEqual("Method", Assert.ThrowsException<ArgumentNullException>(() => Pruner.Run(network, train, validation, new PrunerOptions())).ParamName);
    }
}
