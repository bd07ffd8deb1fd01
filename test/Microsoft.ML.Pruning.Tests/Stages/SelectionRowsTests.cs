using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Stages;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>Training picks its best epoch on rows of its own, never on the rows held out to measure the model.</summary>
[TestClass]
public sealed class SelectionRowsTests
{
    [TestMethod]
    public void TheTrainerAndTheFineTuningStage_PickTheirBestEpochOnRowsApartFromTheHeldOutRows()
    {
        // Issue 19 item 8: both stages picked their best epoch on the held-out rows on which their report and the next
        // stage's budget are measured (the maximum of several looks at the same rows).
        var ml = new MLContext(seed: 3);
        var backend = new RecordingBackend();
        var train = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows);
        var featurized = PipelineFixture.Featurize(ml).Fit(train).Transform(train);
        var trainer = ml.MulticlassClassification.Trainers.NeuralNetwork(PipelineFixture.Architecture(), new NeuralNetworkTrainerOptions { Epochs = 3, BatchSize = 32, Backend = backend });
        var fineTuning = ml.Pruning().FineTune(new FineTuningOptions { Epochs = 3, BatchSize = 32, Backend = backend });

        var model = trainer.Fit(featurized);
        fineTuning.Fit(model.Transform(featurized));

        // The rows held out: the model stage's seeded shuffle of the rows, its first tenth (48 of 480).
        var heldOut = Rows(ReadRows(featurized).Shuffle(trainer.Seed).Slice(0, 48));
        Assert.AreEqual(2, backend.Runs.Count, "the trainer's run and the fine-tuning stage's");
        foreach (var run in backend.Runs)
        {
            Assert.AreEqual(43, run.Selection.Count, "3 epochs to pick from: a tenth of the 432 training rows is set aside to pick on");
            Assert.IsFalse(run.Selection.Overlaps(heldOut), "no row the best epoch is picked on is a held-out row");
            Assert.IsFalse(run.Training.Overlaps(heldOut), "no row trained on is a held-out row");
            Assert.IsFalse(run.Training.Overlaps(run.Selection), "the rows picked on are not trained on");
        }
    }

    private static Dataset ReadRows(IDataView data)
    {
        var features = PipelineFixture.Scores(data, "Features");
        return Dataset.FromArray(features.SelectMany(f => f).ToArray(), [21], new int[features.Length], 3);
    }

    private static HashSet<string> Rows(Dataset data) =>
        Enumerable.Range(0, data.Count).Select(i => string.Join(",", data.GetSample(i).ToArray())).ToHashSet();
}
