using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.Data;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>The fitted transformer: ONNX in two flavours, thread safety, options and run-time settings, the IDX data view.</summary>
[TestClass]
public sealed class TransformerTests
{
    [TestMethod]
    public void PrunedModel_ScoredByUs_ByApplyOnnxModel_AndByInferenceSession_AgreesWithin1e5()
    {
        var ml = new MLContext(seed: 3);
        var train = ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows);
        var featurizer = PipelineFixture.Featurize(ml).Fit(train);
        var features = featurizer.Transform(ml.Data.LoadFromEnumerable(PipelineFixture.TestRows));
        var pruned = ml.Pruning().FromNetwork(PipelineFixture.Trained).Append(ml.Pruning().Apoz(ContractStages.Quick(new ApozPruningOptions(), default))).Fit(featurizer.Transform(train)).LastTransformer;
        Assert.IsTrue(pruned.Network.ParameterCount < PipelineFixture.Trained.ParameterCount, "the exported model is the pruned one");
        var ours = PipelineFixture.Scores(pruned.Transform(features));

        using var perRow = new MemoryStream();
        pruned.SaveOnnx(perRow, OnnxExportFlavor.PerRow);
        perRow.Position = 0;
        var onnxTransformer = ml.Transforms.ApplyOnnxModel(["Score"], ["Features"], perRow).Fit(features);
        var viaMlNet = onnxTransformer.Transform(features);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), viaMlNet.Schema["Score"].Type, "the per-row graph binds Features and Score without renaming, with ML.NET's standard vector type");
        var mlNetScores = PipelineFixture.Scores(viaMlNet);

        using var batch = new MemoryStream();
        pruned.SaveOnnx(batch, OnnxExportFlavor.Batch);
        using var session = new InferenceSession(batch.ToArray());
        var rows = PipelineFixture.Scores(features, "Features");
        var input = new DenseTensor<float>(rows.SelectMany(r => r).ToArray(), [rows.Length, 21]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxModel.InputName, input)]);
        var logits = results.Single(r => r.Name == OnnxModel.OutputName).AsEnumerable<float>().ToArray();

        Assert.AreEqual(ours.Length, mlNetScores.Length);
        for (int i = 0; i < ours.Length; i++)
        {
            TensorAssert.AllClose(ours[i], mlNetScores[i], 0, 1e-5, $"row {i}: ApplyOnnxModel");
            TensorAssert.AllClose(ours[i], Softmax(logits.AsSpan(i * 3, 3)), 0, 1e-5, $"row {i}: InferenceSession (batch graph, softmax of its outputs)");
        }
    }

    [TestMethod]
    public void OneFittedModel_ScoredFromFourThreadsAtOnce_GivesEveryThreadTheSingleThreadedScores()
    {
        var ml = new MLContext(seed: 3);
        var rows = WaveformRow.Generate(3000, seed: 4);
        var model = PipelineFixture.Featurize(ml).Append(ml.Pruning().FromNetwork(PipelineFixture.Trained)).Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")).Fit(ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows));
        var data = ml.Data.LoadFromEnumerable(rows);
        var expected = PipelineFixture.Scores(model.Transform(data));

        var results = new float[4][][];
        var single = new float[4][];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            results[t] = PipelineFixture.Scores(model.Transform(data));
            var engine = ml.Model.CreatePredictionEngine<WaveformRow, WavePrediction>(model);
            single[t] = engine.Predict(rows[t]).Score;
        });

        for (int t = 0; t < 4; t++)
        {
            Assert.AreEqual(expected.Length, results[t].Length);
            for (int i = 0; i < expected.Length; i++)
            {
                CollectionAssert.AreEqual(expected[i], results[t][i], $"thread {t}, row {i}");
            }

            TensorAssert.AllClose(expected[t], single[t], 1e-5, 1e-6, $"thread {t}'s prediction engine");
        }
    }

    [TestMethod]
    public void ChangingTheOptionsAfterBuildingAStage_DoesNotReachTheStage()
    {
        var ml = new MLContext(seed: 3);
        var train = PipelineFixture.Featurize(ml).Fit(ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows)).Transform(ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows));
        var options = ContractStages.Quick(new ApozPruningOptions { Rate = 0.5, Seed = 1 }, default);
        var changed = ml.Pruning().Apoz(options);
        options.Rate = 7;
        options.Layers = ["no such layer"];
        var reference = ml.Pruning().Apoz(ContractStages.Quick(new ApozPruningOptions { Rate = 0.5, Seed = 1 }, default));

        long Fit(IEstimator<NeuralNetworkTransformer> stage) => ml.Pruning().FromNetwork(PipelineFixture.Trained).Append(stage).Fit(train).LastTransformer.Network.ParameterCount;

        Assert.AreEqual(Fit(reference), Fit(changed));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Pruning().Apoz(options), "building with the bad value fails at once, naming it");
    }

    [TestMethod]
    public void BadOptions_FailWhenTheStageIsBuilt_NamingTheOption()
    {
        var ml = new MLContext();
        var cases = new (string Option, Action Build)[]
        {
            ("Rate", () => ml.Pruning().Apoz(rate: 1.5)),
            ("MaximumAccuracyDrop", () => ml.Pruning().FilterL1(new FilterL1PruningOptions { MaximumAccuracyDrop = 2 })),
            ("QualityFactor", () => ml.Pruning().Magnitude(new MagnitudePruningOptions { QualityFactor = -1 })),
            ("CalibrationSamples", () => ml.Pruning().Taylor(new TaylorPruningOptions { CalibrationSamples = 0 })),
            ("SimilarAngle", () => ml.Pruning().Distinctiveness(new DistinctivenessPruningOptions { SimilarAngle = 95 })),
            ("Epochs", () => ml.Pruning().FineTune(epochs: 0)),
            ("Epochs", () => ml.MulticlassClassification.Trainers.NeuralNetwork(PipelineFixture.Architecture(), epochs: 0)),
            ("NumberOfThreads", () => ml.Pruning().Apoz(new ApozPruningOptions { NumberOfThreads = 0 })),
            ("Step", () => ml.Pruning().AdaptiveRate(ml.Pruning().Apoz(), new AdaptiveRateSchedulerOptions { Step = 0 })),
            ("Rate", () => ml.Pruning().FixedRate(ml.Pruning().Apoz(), rate: 0)),
            ("FinalSparsity", () => ml.Pruning().Polynomial(ml.Pruning().Apoz(), finalSparsity: 1.5)),
        };
        foreach (var (option, build) in cases)
        {
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(build, option);
            Assert.AreEqual(option, e.ParamName);
            StringAssert.Contains(e.Message, option);
        }

        StringAssert.Contains(Assert.ThrowsExactly<ArgumentNullException>(() => ml.Pruning().Importance(new ImportancePruningOptions())).Message, "Importance");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ml.Pruning().AdaptiveRate(ml.Pruning().FixedRate(ml.Pruning().Apoz()))).Message, "not another scheduler");
    }

    [TestMethod]
    public void TheMLContextSeed_MakesTrainingReproducible_AndThreadsStayPerFit()
    {
        float[] Train(int seed, int? threads)
        {
            var ml = new MLContext(seed);
            var trainer = ml.MulticlassClassification.Trainers.NeuralNetwork(PipelineFixture.Architecture(), new NeuralNetworkTrainerOptions { Epochs = 2, NumberOfThreads = threads });
            var model = PipelineFixture.Featurize(ml).Append(trainer).Fit(ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows));
            return model.LastTransformer.Network.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();
        }

        int processWide = ComputeSettings.DegreeOfParallelism;
        CollectionAssert.AreEqual(Train(5, 1), Train(5, 1), "the same MLContext seed gives the same network");
        CollectionAssert.AreNotEqual(Train(5, 1), Train(6, 1), "another seed shuffles differently");
        Assert.AreEqual(processWide, ComputeSettings.DegreeOfParallelism, "a stage's NumberOfThreads never changes the process-wide setting");

        using (ComputeSettings.UseDegreeOfParallelism(1))
        {
            int other = 0;
            var thread = new Thread(() => other = ComputeSettings.DegreeOfParallelism);
            using (ExecutionContext.SuppressFlow())
            {
                thread.Start(); // a thread that does not inherit this flow's context
            }

            thread.Join();
            Assert.AreEqual(1, ComputeSettings.DegreeOfParallelism);
            Assert.AreEqual(processWide, other, "a thread outside this flow keeps the process-wide value");
        }
    }

    [TestMethod]
    public void LoadFromIdx_GivesAFeatureVectorAndAKeyLabelWithTheClassCount()
    {
        using var folder = new TempDirectory();
        byte[] pixels = Enumerable.Range(0, 3 * 2 * 2).Select(i => (byte)(i * 20)).ToArray();
        File.WriteAllBytes(folder.File("images"), IdxTestFiles.Images(3, 2, 2, pixels));
        File.WriteAllBytes(folder.File("labels"), IdxTestFiles.Labels(2, 0, 1));
        var ml = new MLContext();

        var data = ml.Data.LoadFromIdx(folder.File("images"), folder.File("labels"));

        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 4), data.Schema["Features"].Type);
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 3), data.Schema["Label"].Type);
        var rows = ml.Data.CreateEnumerable<IdxRow>(data, reuseRowObject: false).ToArray();
        CollectionAssert.AreEqual(new uint[] { 3, 1, 2 }, rows.Select(r => r.Label).ToArray(), "keys are 1-based class indices");
        TensorAssert.AllClose([0f, 20 / 255f, 40 / 255f, 60 / 255f], rows[0].Features, 0, 1e-7, "pixels scaled to [0, 1], row by row");
    }

    private static float[] Softmax(ReadOnlySpan<float> logits)
    {
        float max = logits.ToArray().Max();
        var exp = logits.ToArray().Select(v => MathF.Exp(v - max)).ToArray();
        float sum = exp.Sum();
        return exp.Select(v => v / sum).ToArray();
    }

    /// <summary>A row of the IDX data view.</summary>
    public sealed class IdxRow
    {
        /// <summary>Gets or sets the pixels.</summary>
        [VectorType(4)]
        public float[] Features { get; set; } = [];

        /// <summary>Gets or sets the key.</summary>
        public uint Label { get; set; }
    }
}
