using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Stages;
using Microsoft.ML.Pruning.Training;
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
        var backend = new CountingBackend();
        var pruning = ContractStages.Quick(new ApozPruningOptions { Backend = backend }, default);
        var pipeline = PipelineFixture.Featurize(ml)
            .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(PipelineFixture.Architecture(), new NeuralNetworkTrainerOptions { Epochs = 2, Backend = backend }))
            .Append(ml.Pruning().AdaptiveRate(ml.Pruning().Apoz(pruning), new AdaptiveRateSchedulerOptions { MaximumSteps = 1 }))
            .Append(ml.Pruning().FineTune(new FineTuningOptions { Epochs = 1, Backend = backend }));

        pipeline.Fit(ml.Data.LoadFromEnumerable(PipelineFixture.TrainRows));

        Assert.IsTrue(backend.Epochs.Count >= 3, $"the trainer, the scheduler's fine-tuning and the fine-tuning stage all ran on the backend ({backend.Epochs.Count} runs)");
        Assert.AreEqual(2, backend.Epochs[0], "first: the trainer's 2 epochs");
        Assert.AreEqual(1, backend.Epochs[1], "then: fine-tuning after the scheduler's pruning step");
        Assert.AreEqual(1, backend.Epochs[^1], "last: the fine-tuning stage's epoch");
    }

    /// <summary>A backend that records each run and trains with the managed engine.</summary>
    private sealed class CountingBackend : ITrainingBackend
    {
        public List<int> Epochs { get; } = [];

        public string Name => "counting";

        public TrainingResult Fit(Network network, Dataset training, Dataset? validation, TrainerOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
        {
            Epochs.Add(options.Epochs);
            options.Backend = null;
            try
            {
                return new Trainer(options).Fit(network, training, validation, progress, cancellationToken);
            }
            finally
            {
                options.Backend = this;
            }
        }
    }
}
