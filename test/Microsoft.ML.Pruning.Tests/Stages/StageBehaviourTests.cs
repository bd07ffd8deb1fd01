using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>Progress and cancellation inside Fit, softmax-ended networks, and integer labels.</summary>
[TestClass]
public sealed class StageBehaviourTests
{
    [TestMethod]
    public void CancellingFromTheProgressReports_InsideFit_ReturnsTheBestModelSoFar()
    {
        var ml = new MLContext(seed: 3);
        var train = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows);
        using var cancellation = new CancellationTokenSource();
        var reports = new List<PruningProgress>();
        var options = ContractStages.Quick(new ApozPruningOptions(), cancellation.Token, budget: 0.05);
        options.Progress = new SyncProgress(p =>
        {
            reports.Add(p);
            if (p.Phase == PruningPhase.Pruning)
            {
                cancellation.Cancel();
            }
        });
        var pipeline = PipelineFixture.Featurize(ml).Append(ml.Pruning().FromNetwork(PipelineFixture.Trained))
            .Append(ml.Pruning().AdaptiveRate(ml.Pruning().Apoz(options), new AdaptiveRateSchedulerOptions { MaximumSteps = 20, InitialRate = 0.1 }));

        var model = pipeline.Fit(train);
        var fitted = model.LastTransformer;

        Assert.IsTrue(reports.Count > 0, "progress arrives during Fit");
        Assert.IsTrue(fitted.Cancelled);
        Assert.IsTrue(fitted.Report.Steps.Count < 20, "the fit stopped early");
        Assert.IsTrue(fitted.Network.ParameterCount <= PipelineFixture.Trained.ParameterCount);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(PipelineFixture.TestRows)));
        Assert.IsTrue(metrics.MicroAccuracy > 0.6, $"the model returned is a working one ({metrics.MicroAccuracy:P1}), within the budget");
    }

    [TestMethod]
    public void ANetworkEndingInSoftmax_ScoresItsOwnOutputs_WithoutASecondSoftmax()
    {
        var ml = new MLContext(seed: 3);
        var network = PipelineFixture.Trained;
        network.Add(new Softmax("probabilities"), network.Nodes.Count - 1);
        var data = PipelineFixture.Featurize(ml).Fit(ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows)).Transform(ml.Data.LoadFromEnumerable(PipelineFixture.TestRows));
        var model = ml.Pruning().FromNetwork(network).Fit(data);

        var scores = PipelineFixture.Scores(model.Transform(data));
        var features = PipelineFixture.Scores(data, "Features");
        var expected = network.Forward(FloatTensor.FromValues(features.SelectMany(f => f).ToArray(), features.Length, 21)).Span.ToArray();
        for (int i = 0; i < scores.Length; i++)
        {
            TensorAssert.AllClose(expected.AsSpan(i * 3, 3), scores[i], 1e-6, 1e-7, $"row {i}: the network's probabilities as they are");
        }
    }

    [TestMethod]
    public void AnIntegerLabel_TrainsAndPredictsAKey()
    {
        var ml = new MLContext(seed: 3);
        var rows = PipelineFixture.TrainRows.Select(r => new IntegerRow { Values = r.Values, Label = int.Parse(r.Kind[4..], System.Globalization.CultureInfo.InvariantCulture) }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Concatenate("Features", "Values").Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(PipelineFixture.Architecture(), new NeuralNetworkTrainerOptions { Epochs = 10, LearningRate = 0.01, BatchSize = 32 }));

        var shape = pipeline.GetOutputSchema(PipelineFixture.ShapeOf(data.Schema));
        var model = pipeline.Fit(data);
        var scored = model.Transform(data);

        Assert.AreEqual(NumberDataViewType.Int32, scored.Schema["Label"].Type, "the label stays as it was");
        Assert.IsTrue(shape.Single(c => c.Name == "PredictedLabel").IsKey);
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 3), scored.Schema["PredictedLabel"].Type);
        var predicted = ml.Data.CreateEnumerable<KeyPrediction>(scored, reuseRowObject: false).Select(p => (int)p.PredictedLabel - 1).ToArray();
        double accuracy = predicted.Zip(rows, (p, r) => p == r.Label ? 1.0 : 0).Average();
        Assert.IsTrue(accuracy > 0.7, $"training accuracy {accuracy:P1}");

        rows[7].Label = -1;
        var negative = Assert.ThrowsExactly<DataRowException>(() => pipeline.Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(negative.Message, "Column 'Label', row 7: holds class -1");
        Assert.AreEqual(7L, negative.Row);
        rows[7].Label = 3;
        StringAssert.Contains(Assert.ThrowsExactly<DataRowException>(() => pipeline.Fit(ml.Data.LoadFromEnumerable(rows))).Message, "the model scores 3 classes");
    }

    /// <summary>A row with an integer class index.</summary>
    public sealed class IntegerRow
    {
        /// <summary>Gets or sets the measurements.</summary>
        [VectorType(21)]
        public float[] Values { get; set; } = [];

        /// <summary>Gets or sets the class index.</summary>
        public int Label { get; set; }
    }

    /// <summary>A key prediction.</summary>
    public sealed class KeyPrediction
    {
        /// <summary>Gets or sets the 1-based key.</summary>
        public uint PredictedLabel { get; set; }
    }

    private sealed class SyncProgress(Action<PruningProgress> report) : IProgress<PruningProgress>
    {
        public void Report(PruningProgress value) => report(value);
    }
}
