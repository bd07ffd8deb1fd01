using System.IO.Compression;
using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>
/// mlContext.Model.Save of pipelines with several stages stores one network, the last stage's; an earlier stage saved on
/// its own, or a model that a later stage was fitted on separately, stores its own. Every saved model is loaded in a
/// fresh process (test/ModelConsumer) and scores as the fitted model did.
/// </summary>
[TestClass]
public sealed class SaveLoadLeanTests
{
    private static readonly Lazy<Fitted> ThreeStages = new(FitThreeStages);

    [TestMethod]
    public void ModelSave_OfAPipelineOfThreeStages_StoresOnlyTheLastStagesNetworkAndLoadsWithTheSameScores()
    {
        using var folder = new TempDirectory();
        var fitted = ThreeStages.Value;
        string path = folder.File("pipeline.zip");
        fitted.Ml.Model.Save(fitted.Model, fitted.Train.Schema, path);

        var onnx = OnnxEntries(path);
        Assert.AreEqual(1, onnx.Length, "one ONNX network in the zip: " + string.Join(", ", onnx.Select(e => e.FullName)));
        long single = PerRowSize(fitted.Stages[^1]);
        Assert.IsTrue(Math.Abs(onnx[0].Length - single) <= 16, $"the stored network is the last stage's ({onnx[0].Length} bytes against {single})");
        Assert.IsTrue(new FileInfo(path).Length < single + 16_384, $"the zip ({new FileInfo(path).Length} bytes) is about the size of one network ({single})");

        var loaded = ModelConsumerProcess.Run(folder, [path])["pipeline"];
        AssertSameScores(fitted.Model.Transform(fitted.Test), loaded, "pipeline");
    }

    [TestMethod]
    public void ModelSave_OfAnEarlierStageOnItsOwn_StoresItsWholeNetworkAndScoresAsItDoes()
    {
        using var folder = new TempDirectory();
        var fitted = ThreeStages.Value;
        var ml = fitted.Ml;
        var first = fitted.Stages[0];
        var features = ml.Transforms.Concatenate("Features", "Values").Fit(fitted.Test).Transform(fitted.Test);
        string path = folder.File("first.zip");
        ml.Model.Save(first, features.Schema, path);

        var onnx = OnnxEntries(path);
        Assert.AreEqual(1, onnx.Length);
        Assert.IsTrue(Math.Abs(onnx[0].Length - PerRowSize(first)) <= 16, "the first stage's own network");
        Assert.AreNotEqual(PerRowSize(first), PerRowSize(fitted.Stages[^1]), "the stages' networks differ in size (the test can tell them apart)");

        var loaded = ModelConsumerProcess.Run(folder, [path])["first"];
        AssertSameScores(first.Transform(features), loaded, "first stage");
    }

    [TestMethod]
    public void ModelSave_OfAModelThatLaterStagesWereFittedOnSeparately_StoresItsWholeNetwork()
    {
        using var folder = new TempDirectory();
        var ml = new MLContext(seed: 5);
        var train = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows);
        var test = ml.Data.LoadFromEnumerable(PipelineFixture.TestRows);
        var trained = PipelineFixture.Featurize(ml).Append(ml.MulticlassClassification.Trainers.NeuralNetwork(PipelineFixture.Architecture(), epochs: 2)).Fit(train);
        // A stage fitted on the model's output directly, and another inside a pipeline of its own: neither is in the
        // model's chain, so the model must keep its network.
        var direct = ml.Pruning().Apoz(rate: 0.5, maximumAccuracyDrop: 1).Fit(trained.Transform(train));
        var chained = new EstimatorChain<ITransformer>().Append(ml.Pruning().FineTune(epochs: 1)).Fit(trained.Transform(train));
        Assert.IsNotNull(direct);
        Assert.IsNotNull(chained);
        string path = folder.File("trained.zip");
        ml.Model.Save(trained, train.Schema, path);

        var onnx = OnnxEntries(path);
        Assert.AreEqual(1, onnx.Length);
        Assert.IsTrue(Math.Abs(onnx[0].Length - PerRowSize(trained.LastTransformer)) <= 16, "the trained model's network");

        var loaded = ModelConsumerProcess.Run(folder, [path])["trained"];
        AssertSameScores(trained.Transform(test), loaded, "trained model");
    }

    [TestMethod]
    public void ModelSave_WithATransformReadingAStagesScoreBeforeTheNextStage_KeepsThatStagesNetwork()
    {
        using var folder = new TempDirectory();
        var ml = new MLContext(seed: 5);
        var train = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows);
        var test = ml.Data.LoadFromEnumerable(PipelineFixture.TestRows);
        var model = PipelineFixture.Featurize(ml)
            .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(PipelineFixture.Architecture(), epochs: 2))
            .Append(ml.Transforms.CopyColumns("TrainedScore", "Score"))
            .Append(ml.Pruning().FineTune(epochs: 1))
            .Fit(train);
        string path = folder.File("copied.zip");
        ml.Model.Save(model, train.Schema, path);

        Assert.AreEqual(2, OnnxEntries(path).Length, "the copied Score needs the first network");
        var loaded = ml.Model.Load(path, out _).Transform(test);
        var expected = model.Transform(test);
        var trainedScores = PipelineFixture.Scores(expected, "TrainedScore");
        var loadedScores = PipelineFixture.Scores(loaded, "TrainedScore");
        for (int i = 0; i < trainedScores.Length; i++)
        {
            TensorAssert.AllClose(trainedScores[i], loadedScores[i], 0, 1e-5, $"TrainedScore row {i}");
        }
    }

    [TestMethod]
    public void LoadedModel_OfAChainBuiltByHandWithoutTheStageThatSupersededOne_HasNoScoreToReadWrong()
    {
        using var folder = new TempDirectory();
        var fitted = ThreeStages.Value;
        var ml = fitted.Ml;
        // The featurization and the first stage of the fitted chain, without the stages that replace its output: the
        // first stage saves as a pass-through, so the loaded model fails where Score is asked for, never scores wrong.
        var handBuilt = new TransformerChain<ITransformer>([.. fitted.Model.TakeWhile(t => t is not NeuralNetworkTransformer), fitted.Stages[0]]);
        string path = folder.File("hand-built.zip");
        ml.Model.Save(handBuilt, fitted.Train.Schema, path);

        Assert.AreEqual(0, OnnxEntries(path).Length);
        var scored = ml.Model.Load(path, out _).Transform(fitted.Test);
        Assert.IsNull(scored.Schema.GetColumnOrNull("Score"));
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Evaluate(scored));
    }

    [TestMethod]
    public void LoadedPipeline_ReadWithEveryColumnHiddenOnesIncluded_ScoresAsTheFittedOne()
    {
        using var folder = new TempDirectory();
        var fitted = ThreeStages.Value;
        string path = folder.File("pipeline.zip");
        fitted.Ml.Model.Save(fitted.Model, fitted.Train.Schema, path);
        var loaded = fitted.Ml.Model.Load(path, out _).Transform(fitted.Test);

        // A cursor over the whole schema (as Preview and savers with hidden columns use) reads every column there is.
        using var cursor = loaded.GetRowCursor(loaded.Schema);
        int rows = 0;
        while (cursor.MoveNext())
        {
            rows++;
        }

        Assert.AreEqual(PipelineFixture.TestRows.Length, rows);
        var preview = loaded.Preview(maxRows: 5);
        Assert.AreEqual(loaded.Schema.Count, preview.ColumnView.Length, "Preview reads every column");
        var visible = fitted.Model.Transform(fitted.Test).Schema.Where(c => !c.IsHidden).Select(c => $"{c.Name}:{c.Type}");
        CollectionAssert.AreEqual(visible.ToArray(), loaded.Schema.Where(c => !c.IsHidden).Select(c => $"{c.Name}:{c.Type}").ToArray(), "the visible columns");
    }

    private static ZipArchiveEntry[] OnnxEntries(string zip)
    {
        using var archive = ZipFile.OpenRead(zip);
        return [.. archive.Entries.Where(e => e.Name == "OnnxModel")];
    }

    private static long PerRowSize(NeuralNetworkTransformer stage)
    {
        using var stream = new MemoryStream();
        stage.SaveOnnx(stream, OnnxExportFlavor.PerRow);
        return stream.Length;
    }

    private static void AssertSameScores(IDataView expected, LoadedPredictions loaded, string what)
    {
        var scores = PipelineFixture.Scores(expected);
        Assert.AreEqual(scores.Length, loaded.Scores.Length, what);
        for (int i = 0; i < scores.Length; i++)
        {
            TensorAssert.AllClose(scores[i], loaded.Scores[i], 0, 1e-5, $"{what} row {i}");
        }
    }

    private static Fitted FitThreeStages()
    {
        var ml = new MLContext(seed: 5);
        var train = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows);
        var test = ml.Data.LoadFromEnumerable(PipelineFixture.TestRows);
        // The README's pipeline on Waveform rows: train, prune by APoZ, fine-tune (a cache checkpoint between the first two).
        var model = PipelineFixture.Featurize(ml)
            .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(PipelineFixture.Architecture(), epochs: 3))
            .AppendCacheCheckpoint(ml)
            .Append(ml.Pruning().Apoz(rate: 0.5, maximumAccuracyDrop: 1))
            .Append(ml.Pruning().FineTune(epochs: 1))
            .Fit(train);
        var stages = model.OfType<NeuralNetworkTransformer>().ToArray();
        Assert.AreEqual(3, stages.Length);
        return new Fitted(ml, train, test, model, stages);
    }

    private sealed record Fitted(MLContext Ml, IDataView Train, IDataView Test, TransformerChain<NeuralNetworkTransformer> Model, NeuralNetworkTransformer[] Stages);
}
