using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>
/// The contract every estimator keeps inside a real ML.NET pipeline (ML.NET featurization, a model stage, a cache
/// checkpoint, the stage, MapKeyToValue), on a trained model: schema before and after fitting, Evaluate,
/// PredictionEngine, bad input, cancellation, and that the stage did its work. Save and Load in a fresh process are in
/// <see cref="SaveLoadTests"/>.
/// </summary>
[TestClass]
public sealed class EstimatorContractTests
{
    public static IEnumerable<object[]> Stages() => ContractStages.All();

    [TestMethod]
    [DynamicData(nameof(Stages), DynamicDataSourceType.Method)]
    public void Stage_InAnMLNetPipeline_PredictsItsSchemaEvaluatesServesPredictionEngineAndDoesItsWork(string name)
    {
        var stage = ContractStages.Get(name);
        var ml = new MLContext(seed: 3);
        var train = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows);
        var test = ml.Data.LoadFromEnumerable(PipelineFixture.TestRows);
        var pipeline = stage.Pipeline(ml);

        var predicted = pipeline.GetOutputSchema(PipelineFixture.ShapeOf(train.Schema));
        var model = pipeline.Fit(train);
        var scored = model.Transform(test);

        foreach (var column in predicted)
        {
            var actual = scored.Schema.GetColumnOrNull(column.Name);
            Assert.IsNotNull(actual, $"{name}: column {column.Name} is predicted but not produced");
            var shape = PipelineFixture.ShapeOf(scored.Schema).Single(c => c.Name == column.Name);
            Assert.AreEqual(column.Kind, shape.Kind, $"{name}: {column.Name} kind");
            Assert.AreEqual(column.ItemType, shape.ItemType, $"{name}: {column.Name} item type");
            Assert.AreEqual(column.IsKey, shape.IsKey, $"{name}: {column.Name} key");
            CollectionAssert.IsSubsetOf(column.Annotations.Select(a => a.Name).ToArray(), actual.Value.Annotations.Schema.Select(a => a.Name).ToArray(), $"{name}: {column.Name} annotations");
        }

        Assert.AreEqual(predicted.Count, scored.Schema.Count(c => !c.IsHidden), $"{name}: the same visible columns");
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), scored.Schema["Score"].Type, name);
        Assert.AreEqual(TextDataViewType.Instance, scored.Schema["PredictedLabel"].Type, $"{name}: MapKeyToValue turned the key back into the class name");

        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(PipelineFixture.TestRows)), "Label", "Score", "PredictedLabel");
        Assert.IsTrue(metrics.MicroAccuracy > 0.6, $"{name}: test accuracy {metrics.MicroAccuracy:P1}");

        var scores = PipelineFixture.Scores(scored);
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        scored.Schema["Score"].GetSlotNames(ref slotNames);
        var classes = slotNames.DenseValues().Select(n => n.ToString()).ToArray();
        var engine = ml.Model.CreatePredictionEngine<WaveformRow, WavePrediction>(model);
        for (int i = 0; i < 10; i++)
        {
            // One row at a time runs other GEMM kernels than a batch: equal within float rounding.
            var prediction = engine.Predict(PipelineFixture.TestRows[i]);
            TensorAssert.AllClose(scores[i], prediction.Score, 1e-5, 1e-6, $"{name}: PredictionEngine row {i} scores as Transform does");
            Assert.AreEqual(classes[Array.IndexOf(scores[i], scores[i].Max())], prediction.PredictedLabel, $"{name}: row {i} label is the arg-max's class");
        }

        var fitted = PipelineFixture.Fitted(model);
        stage.DidItsWork(stage.Start, fitted);
        Assert.AreEqual(fitted.Network.ParameterCount, fitted.Report.Final.Parameters, $"{name}: the report describes the returned network");
        if (!stage.StartsModel)
        {
            Assert.AreEqual(PipelineFixture.Trained.ParameterCount, fitted.Report.Baseline.Parameters, $"{name}: the baseline is the model as it entered the stage");
            Assert.IsTrue(fitted.Report.Baseline.Accuracy > 0.7, $"{name}: the baseline is the trained model ({fitted.Report.Baseline.Accuracy:P1}), never an untrained one");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Stages), DynamicDataSourceType.Method)]
    public void Stage_GivenBadInput_FailsNamingTheColumnAndSizes(string name)
    {
        var stage = ContractStages.Get(name);
        var ml = new MLContext(seed: 3);
        var estimator = stage.Create(ml, default);
        var rows = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows);

        var missing = Assert.ThrowsExactly<ArgumentException>(() => estimator.GetOutputSchema(PipelineFixture.ShapeOf(rows.Schema)), name);
        StringAssert.Contains(missing.Message, "'Features'");

        var floatLabel = ml.Transforms.Concatenate("Features", "Values").Append(ml.Transforms.Conversion.ConvertType("Label", "Values", DataKind.Single)).Fit(rows).Transform(rows);
        var notKey = Assert.ThrowsExactly<ArgumentException>(() => estimator.GetOutputSchema(PipelineFixture.ShapeOf(floatLabel.Schema)), name);
        StringAssert.Contains(notKey.Message, "'Label'");

        var narrowRows = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows.Select(r => new NarrowRow { Values = r.Values[1..], Kind = r.Kind }));
        var narrow = PipelineFixture.Featurize(ml).Fit(narrowRows).Transform(narrowRows);
        var empty = PipelineFixture.Featurize(ml).Fit(rows).Transform(ml.Data.LoadFromEnumerable(Array.Empty<WaveformRow>()));
        if (stage.StartsModel)
        {
            var wrongSize = Assert.ThrowsExactly<ArgumentException>(() => estimator.Fit(narrow), name);
            StringAssert.Contains(wrongSize.Message, "'Features' has 20 values per row but the model expects 21");
            StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => estimator.Fit(empty), name).Message, "no rows");
        }
        else
        {
            var alone = Assert.ThrowsExactly<InvalidOperationException>(() => estimator.Fit(PipelineFixture.Featurize(ml).Fit(rows).Transform(rows)), name);
            StringAssert.Contains(alone.Message, "MulticlassClassification.Trainers.NeuralNetwork");
            StringAssert.Contains(alone.Message, "LoadOnnxModel");

            var fitted = PipelineFixture.Fitted(stage.Pipeline(ml).Fit(rows));
            var wrongSize = Assert.ThrowsExactly<ArgumentException>(() => fitted.Transform(narrow), name);
            StringAssert.Contains(wrongSize.Message, "'Features' has 20 values per row but the model expects 21");
            StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ml.Pruning().FromNetwork(PipelineFixture.Trained).Append(estimator).Fit(empty), name).Message, "no rows");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Stages), DynamicDataSourceType.Method)]
    public void Stage_CancelledBeforeItStarts_ReturnsTheBestModelSoFarMarkedCancelled(string name)
    {
        var stage = ContractStages.Get(name);
        var ml = new MLContext(seed: 3);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        var model = stage.Pipeline(ml, cancellation.Token).Fit(ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows));
        var fitted = PipelineFixture.Fitted(model);

        if (name == "ONNX model")
        {
            Assert.IsFalse(fitted.Cancelled, "loading does no work that a token could stop");
            return;
        }

        Assert.IsTrue(fitted.Cancelled, name);
        Assert.AreEqual(stage.Start.ParameterCount, fitted.Network.ParameterCount, $"{name}: the model it was given");
        Assert.AreEqual(5, PipelineFixture.Scores(model.Transform(ml.Data.LoadFromEnumerable(PipelineFixture.TestRows.Take(5)))).Length, $"{name}: the returned model scores");
    }
}
