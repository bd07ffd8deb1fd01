using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>A training backend that records each run (its epochs and the rows it was given) and trains with the managed engine.</summary>
internal sealed class RecordingBackend : ITrainingBackend
{
    /// <summary>Gets the runs: the epochs asked for, the rows trained on, and the rows the best epoch is picked on (or null).</summary>
    public List<(int Epochs, Dataset Training, Dataset? Selection)> Runs { get; } = [];

    public string Name => "recording";

    public TrainingResult Fit(Network network, Dataset training, Dataset? validation, TrainerOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        Runs.Add((options.Epochs, training, validation));
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
