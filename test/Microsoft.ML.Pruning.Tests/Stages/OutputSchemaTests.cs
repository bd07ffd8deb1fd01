using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Stages;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>GetOutputSchema promises exactly the columns and annotations Fit gives, and refuses what Fit refuses.</summary>
[TestClass]
public sealed class OutputSchemaTests
{
    [TestMethod]
    public void APruningStageAfterAnotherTrainersScore_FailsAtGetOutputSchemaWithFitsMessage()
    {
        // Issue 19 item 9: GetOutputSchema accepted SDCA's Score column, and only Fit failed.
        var ml = new MLContext(seed: 3);
        var train = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows);
        var pipeline = PipelineFixture.Featurize(ml).Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 1)).Append(ml.Pruning().Apoz());

        var atSchema = Assert.ThrowsExactly<InvalidOperationException>(() => pipeline.GetOutputSchema(PipelineFixture.ShapeOf(train.Schema)));
        var atFit = Assert.ThrowsExactly<InvalidOperationException>(() => pipeline.Fit(train));

        Assert.AreEqual(atFit.Message, atSchema.Message);
        StringAssert.StartsWith(atSchema.Message, "ApozPruningEstimator has no model to work on");
    }

    [TestMethod]
    [DataRow(true, DisplayName = "key label")]
    [DataRow(false, DisplayName = "integer label")]
    public void GetOutputSchema_PromisesExactlyTheAnnotationsTheFittedModelWrites(bool keyLabel)
    {
        // Borrowed from SDCA, the promised shape lacked the model's id on Score and, for an integer label, promised key
        // values on PredictedLabel that the model does not write.
        var ml = new MLContext(seed: 3);
        var rows = PipelineFixture.TrainRows.Select(r => new StageBehaviourTests.IntegerRow { Values = r.Values, Label = r.Kind[^1] - '0' }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        IEstimator<ITransformer> featurize = ml.Transforms.Concatenate("Features", "Values");
        var withLabel = keyLabel ? featurize.Append(ml.Transforms.Conversion.MapValueToKey("Label")) : featurize;
        var pipeline = withLabel.Append(ml.MulticlassClassification.Trainers.NeuralNetwork(PipelineFixture.Architecture(), epochs: 1))
            .Append(ml.Pruning().FineTune(epochs: 1));

        var promised = pipeline.GetOutputSchema(PipelineFixture.ShapeOf(data.Schema));
        var actual = PipelineFixture.ShapeOf(pipeline.Fit(data).Transform(data).Schema);

        foreach (string column in new[] { "Score", "PredictedLabel" })
        {
            var p = promised.Single(c => c.Name == column);
            var a = actual.Single(c => c.Name == column);
            Assert.AreEqual((a.Kind, a.ItemType, a.IsKey), (p.Kind, p.ItemType, p.IsKey), column);
            CollectionAssert.AreEquivalent(a.Annotations.Select(x => $"{x.Name}: {x.Kind} {x.ItemType}").ToArray(), p.Annotations.Select(x => $"{x.Name}: {x.Kind} {x.ItemType}").ToArray(), column);
        }
    }
}
