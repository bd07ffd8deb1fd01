using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Loop;

[TestClass]
public sealed class PrunerOptionsTests
{
    [TestMethod]
    public void Defaults_MatchTheDocumentation()
    {
        var options = new PrunerOptions();
        Assert.IsNull(options.Method);
        Assert.AreEqual(0.5, ((OneShotSchedule)options.Schedule).Rate);
        Assert.AreEqual(0.005, options.MaximumAccuracyDrop);
        Assert.AreEqual(BudgetKind.Absolute, options.BudgetKind);
        Assert.AreEqual(1, options.FineTuning!.Epochs);
        Assert.AreEqual(128, options.FineTuning.BatchSize);
        Assert.IsNull(options.FineTuning.Optimizer, "the trainer's default: Adam at 0.001, fresh for each fine-tuning");
        Assert.IsTrue(options.FineTuning.KeepBestCheckpoint);
        Assert.AreEqual(2048, options.CalibrationSamples);
        Assert.AreEqual(100, options.MaximumSteps);
        Assert.IsNull(options.AuxiliaryLayerUnits);
        Assert.IsTrue(options.MeasureLatency);
        Assert.AreEqual(0, options.Seed);
    }

    [TestMethod]
    public void Validate_EachBadOption_ThrowsNamingIt()
    {
        var cases = new (string Option, Action<PrunerOptions> Spoil)[]
        {
            ("MaximumAccuracyDrop", o => o.MaximumAccuracyDrop = -0.01),
            ("MaximumAccuracyDrop", o => o.MaximumAccuracyDrop = 1.5),
            ("MaximumAccuracyDrop", o => o.MaximumAccuracyDrop = double.NaN),
            ("BudgetKind", o => o.BudgetKind = (BudgetKind)7),
            ("CalibrationSamples", o => o.CalibrationSamples = 0),
            ("MaximumSteps", o => o.MaximumSteps = 0),
            ("AuxiliaryLayerUnits", o => o.AuxiliaryLayerUnits = 0),
            ("FineTuning.Epochs", o => o.FineTuning = new TrainerOptions { Epochs = 0 }),
            ("FineTuning.BatchSize", o => o.FineTuning = new TrainerOptions { BatchSize = -1 }),
        };

        foreach (var (option, spoil) in cases)
        {
            var options = new PrunerOptions { Method = new MaskingMethod() };
            spoil(options);
            var e = Assert.ThrowsException<ArgumentOutOfRangeException>(options.Validate, option);
            Assert.AreEqual(option, e.ParamName);
            StringAssert.Contains(e.Message, $"PrunerOptions.{option}");
        }
    }

    [TestMethod]
    public void Validate_FineTuningError_KeepsTheTrainersReason()
    {
        var options = new PrunerOptions { Method = new MaskingMethod(), FineTuning = new TrainerOptions { Epochs = 0 } };
        var e = Assert.ThrowsException<ArgumentOutOfRangeException>(options.Validate);
        StringAssert.StartsWith(e.Message, "PrunerOptions.FineTuning.Epochs is out of range: TrainerOptions.Epochs must be at least 1.");
    }

    [TestMethod]
    public void Validate_MissingMethodOrSchedule_ThrowsNamingIt()
    {
        Assert.AreEqual("Method", Assert.ThrowsException<ArgumentNullException>(new PrunerOptions().Validate).ParamName);
        var options = new PrunerOptions { Method = new MaskingMethod(), Schedule = null! };
        Assert.AreEqual("Schedule", Assert.ThrowsException<ArgumentNullException>(options.Validate).ParamName);
    }

    [TestMethod]
    public void Validate_ValidOptions_DoNotThrow()
    {
        new PrunerOptions { Method = new MaskingMethod(), FineTuning = null, AuxiliaryLayerUnits = 40, MaximumAccuracyDrop = 0, BudgetKind = BudgetKind.Relative }.Validate();
    }
}
