using Microsoft.ML.Pruning.Stages;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>Issue 20 in a real ML.NET pipeline: stages that stream their data (DataMemoryLimit 0), with and without ML.NET's cache.</summary>
[TestClass]
public sealed class StreamingPipelineTests
{
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void AStreamedTrainAndPrunePipeline_LearnsAndGivesTheSameModelEachTime(bool cache)
    {
        float[][] Fit()
        {
            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows);
            var featurize = PipelineFixture.Featurize(ml);
            var pipeline = (cache ? featurize.AppendCacheCheckpoint(ml) : featurize)
                .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(PipelineFixture.Architecture(),
                    new NeuralNetworkTrainerOptions { Epochs = 6, LearningRate = 0.01, BatchSize = 32, DataMemoryLimit = 0 }))
                .Append(ml.Pruning().Apoz(new ApozPruningOptions { DataMemoryLimit = 0, MaximumAccuracyDrop = 0.05 }));
            var model = pipeline.Fit(data);
            var test = model.Transform(ml.Data.LoadFromEnumerable(PipelineFixture.TestRows));
            double accuracy = ml.MulticlassClassification.Evaluate(test).MacroAccuracy;
            Assert.IsTrue(accuracy > 0.7, $"accuracy {accuracy:P1}");
            return PipelineFixture.Scores(test);
        }

        var first = Fit();
        var second = Fit();
        for (int i = 0; i < first.Length; i++)
        {
            CollectionAssert.AreEqual(first[i], second[i], $"row {i}");
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void RowsGroupedByClass_StreamedThroughABoundedShuffle_AreReportedToTheLog_UnlessTheViewIsCached(bool cache)
    {
        var ml = new MLContext(seed: 1);
        var warnings = MLContextLog.Warnings(ml);
        var sorted = PipelineFixture.TrainRows.OrderBy(r => r.Kind, StringComparer.Ordinal).ToArray();
        var featurize = PipelineFixture.Featurize(ml);
        var pipeline = (cache ? featurize.AppendCacheCheckpoint(ml) : featurize)
            .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(PipelineFixture.Architecture(), new NeuralNetworkTrainerOptions { Epochs = 1, DataMemoryLimit = 0 }));

        pipeline.Fit(ml.Data.LoadFromEnumerable(sorted));
        pipeline.Fit(ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows));

        var grouped = warnings.Where(w => w.Contains("rows come grouped by class", StringComparison.Ordinal)).ToArray();
        Assert.AreEqual(cache ? 0 : 1, grouped.Length, string.Join(Environment.NewLine, warnings));
        if (!cache)
        {
            StringAssert.Contains(grouped[0], "the 480 rows come grouped by class, and they are streamed through a shuffle buffer of 1 row,");
        }
    }

    [TestMethod]
    public void DataMemoryLimit_BelowZero_IsRefusedNamingTheOption()
    {
        var ml = new MLContext(seed: 1);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            ml.MulticlassClassification.Trainers.NeuralNetwork(PipelineFixture.Architecture(), new NeuralNetworkTrainerOptions { DataMemoryLimit = -1 }));
        Assert.AreEqual("DataMemoryLimit", error.ParamName);
    }
}
