using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>A step rolled back for breaking the budget is said in the MLContext's log, on the transformer and in the report's first lines.</summary>
[TestClass]
public sealed class RollbackReportingTests
{
    [TestMethod]
    public void AStageWhoseOnlyStepIsRolledBack_SaysSoInTheLogOnTheTransformerAndFirstInTheTable()
    {
        // Issue 19 item 5: the fitted model was the unpruned one, visible only as "rolled back" deep in the steps table.
        var ml = new MLContext(seed: 3);
        var warnings = MLContextLog.Warnings(ml);
        var pipeline = PipelineFixture.Featurize(ml).Append(ml.Pruning().FromNetwork(PipelineFixture.Trained))
            .Append(ml.Pruning().Magnitude(new MagnitudePruningOptions { Rate = 0.95, MaximumAccuracyDrop = 0, Epochs = 0 }));

        var fitted = PipelineFixture.Fitted(pipeline.Fit(ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows)));

        Assert.IsFalse(fitted.PrunedAnything);
        Assert.AreEqual(0, fitted.StageReports[1].Removed);
        Assert.AreEqual(NonzeroCount.Of(PipelineFixture.Trained), NonzeroCount.Of(fitted.Network), "the model is the one the stage was given");
        var lines = fitted.Report.ToTable().Split('\n');
        StringAssert.StartsWith(lines[1], "note: step 0 (prune at rate 0.95) was rolled back: it left ");
        StringAssert.Contains(lines[1], "more than the 0 allowed");
        StringAssert.StartsWith(lines[2], "note: nothing was pruned");
        Assert.IsTrue(warnings.Any(w => w.Contains("MagnitudePruningEstimator: magnitude, unstructured: step 0 (prune at rate 0.95) was rolled back", StringComparison.Ordinal)), string.Join("\n", warnings));
        Assert.IsTrue(warnings.Any(w => w.Contains("nothing was pruned", StringComparison.Ordinal)), string.Join("\n", warnings));
    }

    [TestMethod]
    public void AStageThatKeepsItsStep_PrunedSomething_AndTheLogAndTableHaveNothingToAdd()
    {
        var ml = new MLContext(seed: 3);
        var warnings = MLContextLog.Warnings(ml);
        var pipeline = PipelineFixture.Featurize(ml).Append(ml.Pruning().FromNetwork(PipelineFixture.Trained))
            .Append(ml.Pruning().Magnitude(new MagnitudePruningOptions { Rate = 0.5, MaximumAccuracyDrop = 1, Epochs = 0 }));

        var fitted = PipelineFixture.Fitted(pipeline.Fit(ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows)));

        Assert.IsTrue(fitted.PrunedAnything);
        Assert.AreEqual(fitted.StageReports[1].Steps[0].Removed, fitted.StageReports[1].Removed);
        Assert.IsTrue(fitted.StageReports[1].Removed > 400, $"half of the 979 weights go ({fitted.StageReports[1].Removed})");
        Assert.IsFalse(fitted.Report.ToTable().Contains("note:", StringComparison.Ordinal));
        Assert.AreEqual(0, warnings.Count, string.Join("\n", warnings));
    }
}
