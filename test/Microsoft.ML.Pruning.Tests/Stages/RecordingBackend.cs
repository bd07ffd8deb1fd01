using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>
/// A training backend that records each run (its epochs, the rows it trained on and the rows it evaluated to pick its
/// best epoch) and trains with the managed engine.
/// </summary>
internal sealed class RecordingBackend : ITrainingBackend
{
    /// <summary>Gets the runs: the epochs run, the rows trained on, and the rows evaluated (empty when no epoch was picked).</summary>
    public List<Run> Runs { get; } = [];

    public string Name => "recording";

    public ITrainingSession Bind(Network network, TrainingSetup setup)
    {
        var run = new Run();
        Runs.Add(run);
        return new RecordingSession(ManagedTrainingBackend.Instance.Bind(network, setup), run);
    }

    /// <summary>One fit: the trainer gives a learning rate once per epoch; rows are recorded as their feature values.</summary>
    internal sealed class Run
    {
        public int Epochs { get; set; }

        public HashSet<string> Training { get; } = [];

        public HashSet<string> Selection { get; } = [];
    }

    private sealed class RecordingSession(ITrainingSession inner, Run run) : ITrainingSession
    {
        public void SetLearningRate(float learningRate)
        {
            run.Epochs++;
            inner.SetLearningRate(learningRate);
        }

        public BatchOutcome TrainBatch(FloatTensor features, ReadOnlySpan<int> labels)
        {
            Record(features, labels.Length, run.Training);
            return inner.TrainBatch(features, labels);
        }

        public BatchOutcome EvaluateBatch(FloatTensor features, ReadOnlySpan<int> labels)
        {
            Record(features, labels.Length, run.Selection);
            return inner.EvaluateBatch(features, labels);
        }

        public bool TrySaveCheckpoint() => inner.TrySaveCheckpoint();

        public void RestoreCheckpoint() => inner.RestoreCheckpoint();

        public void CopyToNetwork() => inner.CopyToNetwork();

        public void Dispose() => inner.Dispose();

        private static void Record(FloatTensor features, int count, HashSet<string> rows)
        {
            int width = features.Length / features.Dim(0);
            for (int i = 0; i < count; i++)
            {
                rows.Add(string.Join(",", features.Span.Slice(i * width, width).ToArray()));
            }
        }
    }
}
