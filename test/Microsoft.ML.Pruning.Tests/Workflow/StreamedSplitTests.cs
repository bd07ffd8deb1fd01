using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Training;
using Microsoft.ML.Pruning.Workflow;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Stages.DataViewBatchSourceTests;

namespace Microsoft.ML.Pruning.Tests.Workflow;

/// <summary>Issue 20: the held-out and selection splits of streamed data, defined by row number without reading the rows.</summary>
[TestClass]
public sealed class StreamedSplitTests
{
    [TestMethod]
    public void TheHeldOutAndSelectionSplits_OfAStreamedView_AreDisjointCompleteStableAndAboutTheirShare()
    {
        var view = View(Indexed(4000), randomAccess: false);
        var columns = StageColumns.Check(view.Schema, "Features", "Label", [1], 2);
        var source = DataViewReader.Open(view, columns, [1], memoryLimit: 0);
        var split = new HeldOutSplit(Seed: 7, Fraction: 0.1);

        var (training, validation) = split.Apply(source);
        var (fit, selection) = Pruner.SelectionSplit(training, new TrainerOptions { Epochs = 2 }, seed: 7);
        Assert.AreEqual(1, ((ScriptedDataView)view).Passes, "the splits read no data: one pass over the labels");
        var validationRows = RowsOf(validation);
        var fitRows = RowsOf(fit);
        var selectionRows = RowsOf(selection!);

        Assert.AreEqual(4000, validationRows.Count + fitRows.Count + selectionRows.Count);
        Assert.AreEqual(4000, validationRows.Union(fitRows).Union(selectionRows).Count(), "disjoint and complete");
        Assert.IsTrue(validationRows.Count is > 320 and < 480, $"about a tenth held out: {validationRows.Count}");
        Assert.IsTrue(selectionRows.Count is > 280 and < 440, $"about a tenth of the rest to pick the epoch on: {selectionRows.Count}");
        Assert.AreEqual(validation.RowCount, validationRows.Count);
        CollectionAssert.AreEqual(validationRows.ToArray(), RowsOf(split.Apply(source).Validation).ToArray(), "the same rows at every stage");
        Assert.IsFalse(validationRows.SetEquals(RowsOf(new HeldOutSplit(8, 0.1).Apply(source).Validation)), "another seed, other rows");
    }

    [TestMethod]
    public void AStreamedRun_TrainPruneFineTune_GivesTheSameModelForTheSameSeeds()
    {
        float[] Run()
        {
            var data = WaveformGenerator.Generate(300, seed: 5);
            var view = View(data, randomAccess: false);
            var source = DataViewReader.Open(view, StageColumns.Check(view.Schema, "Features", "Label", [21], 3), [21], memoryLimit: 0);
            var result = StageRunner.Run(
                [
                    new TrainingStage(new NetworkBuilder(21).Dense(16).Relu().Dense(3).Build(seed: 3), new StageTrainingOptions(3) { LearningRate = 0.01, BatchSize = 32 }, seed: 4),
                    new PruningStage(new StructuredPruning(new ApozImportance()), new OneShotSchedule(0.25), seed: 5) { MaximumAccuracyDrop = 1 },
                ],
                source);
            Assert.IsTrue(result.StageReports[0].Final.Accuracy > 0.6, $"training worked ({result.StageReports[0].Final.Accuracy:P1})");
            Assert.IsTrue(result.PrunedAnything);
            return Weights(result.Network);
        }

        CollectionAssert.AreEqual(Run(), Run());
    }

    private static HashSet<float> RowsOf(IBatchSource source) => Rows(source, BatchOrder.Sequential, 100).Features.ToHashSet();
}
