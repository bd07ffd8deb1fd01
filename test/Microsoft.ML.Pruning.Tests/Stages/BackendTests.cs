using Microsoft.ML.Pruning.Stages;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>The one option that moves a stage's training to another backend reaches every stage that trains.</summary>
[TestClass]
public sealed class BackendTests
{
    [TestMethod]
    public void TheBackendOption_RunsEveryEpochOfTheTrainerFineTuningPruningAndSchedulers()
    {
        var ml = new MLContext(seed: 3);
        var backend = new RecordingBackend();
        var pruning = ContractStages.Quick(new ApozPruningOptions { Backend = backend }, default);
        var pipeline = PipelineFixture.Featurize(ml)
            .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(PipelineFixture.Architecture(), new NeuralNetworkTrainerOptions { Epochs = 2, Backend = backend }))
            .Append(ml.Pruning().AdaptiveRate(ml.Pruning().Apoz(pruning), new AdaptiveRateSchedulerOptions { MaximumSteps = 1 }))
            .Append(ml.Pruning().FineTune(new FineTuningOptions { Epochs = 1, Backend = backend }));

        pipeline.Fit(ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows));

        Assert.IsTrue(backend.Runs.Count >= 3, $"the trainer, the scheduler's fine-tuning and the fine-tuning stage all ran on the backend ({backend.Runs.Count} runs)");
        Assert.AreEqual(2, backend.Runs[0].Epochs, "first: the trainer's 2 epochs");
        Assert.AreEqual(1, backend.Runs[1].Epochs, "then: fine-tuning after the scheduler's pruning step");
        Assert.AreEqual(1, backend.Runs[^1].Epochs, "last: the fine-tuning stage's epoch");
    }
}
