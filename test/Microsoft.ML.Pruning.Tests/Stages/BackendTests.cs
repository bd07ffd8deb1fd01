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

    /// <summary>A backend that records the epochs of each run (one learning rate per epoch) and trains with the managed engine.</summary>
    private sealed class CountingBackend : ITrainingBackend
    {
        public List<int> Epochs { get; } = [];

        public string Name => "counting";

        public ITrainingSession Bind(Network network, TrainingSetup setup)
        {
            int run = Epochs.Count;
            Epochs.Add(0);
            return new CountingSession(ManagedTrainingBackend.Instance.Bind(network, setup), () => Epochs[run]++);
        }

        private sealed class CountingSession(ITrainingSession inner, Action epoch) : ITrainingSession
        {
            public void SetLearningRate(float learningRate)
            {
                epoch();
                inner.SetLearningRate(learningRate);
            }

            public BatchOutcome TrainBatch(Microsoft.ML.Pruning.Tensors.FloatTensor features, ReadOnlySpan<int> labels) => inner.TrainBatch(features, labels);

            public BatchOutcome EvaluateBatch(Microsoft.ML.Pruning.Tensors.FloatTensor features, ReadOnlySpan<int> labels) => inner.EvaluateBatch(features, labels);

            public bool TrySaveCheckpoint() => inner.TrySaveCheckpoint();

            public void RestoreCheckpoint() => inner.RestoreCheckpoint();

            public void CopyToNetwork() => inner.CopyToNetwork();

            public void Dispose() => inner.Dispose();
        }
    }
}
