using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Stages;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>A row whose scores are not finite gets no class: the missing key, as ML.NET's own trainers give it.</summary>
[TestClass]
public sealed class NonFiniteScoresTests
{
    [TestMethod]
    [DataRow(float.NaN)]
    [DataRow(float.PositiveInfinity)]
    public void ARowWithANonFiniteFeature_GetsTheMissingKeyInTransformPredictionEngineAndTheSavedModel(float value)
    {
        // Issue 19 item 10: scores [NaN, NaN, NaN] gave PredictedLabel 1, the first class.
        var ml = new MLContext(seed: 3);
        var train = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows);
        var model = PipelineFixture.Featurize(ml).Append(ml.Pruning().FromNetwork(PipelineFixture.Trained)).Fit(train);
        var rows = PipelineFixture.TestRows.Take(3).Select(r => new WaveformRow { Values = [.. r.Values], Kind = r.Kind }).ToArray();
        rows[1].Values[4] = value;

        var scored = model.Transform(ml.Data.LoadFromEnumerable(rows));
        var keys = ml.Data.CreateEnumerable<KeyRow>(scored, reuseRowObject: false).ToArray();
        var engine = ml.Model.CreatePredictionEngine<WaveformRow, KeyRow>(model);
        using var zip = new MemoryStream();
        ml.Model.Save(model, train.Schema, zip);
        zip.Position = 0;
        var loaded = ml.Model.Load(zip, out _);
        var loadedKeys = ml.Data.CreateEnumerable<KeyRow>(loaded.Transform(ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false).ToArray();

        Assert.IsTrue(keys[1].Score.All(s => !float.IsFinite(s)), "the scores are not finite");
        Assert.AreEqual(0u, keys[1].PredictedLabel, "Transform");
        Assert.AreEqual(0u, engine.Predict(rows[1]).PredictedLabel, "PredictionEngine");
        Assert.AreEqual(0u, loadedKeys[1].PredictedLabel, "the model saved with Model.Save and loaded");
        foreach (int i in new[] { 0, 2 })
        {
            uint expected = (uint)Array.IndexOf(keys[i].Score, keys[i].Score.Max()) + 1;
            Assert.AreEqual(expected, keys[i].PredictedLabel, $"row {i} keeps its class");
            Assert.AreEqual(expected, engine.Predict(rows[i]).PredictedLabel, $"row {i}, PredictionEngine");
            Assert.AreEqual(expected, loadedKeys[i].PredictedLabel, $"row {i}, loaded");
        }
    }

    /// <summary>The scores and the key as they are.</summary>
    public sealed class KeyRow
    {
        /// <summary>Gets or sets the scores.</summary>
        public float[] Score { get; set; } = [];

        /// <summary>Gets or sets the 1-based key, 0 for none.</summary>
        [KeyType(3)]
        public uint PredictedLabel { get; set; }
    }
}
