using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Workflow;

/// <summary>
/// How a stage trains: epochs of Adam on seeded mini-batches, keeping the best epoch. The runner holds out a seeded tenth
/// of the stage's training rows to pick that epoch on (when there is more than one epoch to pick from), never the rows
/// that the reports and the accuracy budget are measured on.
/// </summary>
public sealed record StageTraining
{
    /// <summary>Creates the settings.</summary>
    /// <param name="epochs">The epochs, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is below 1.</exception>
    public StageTraining(int epochs)
    {
        Epochs = epochs;
    }

    /// <summary>Gets the number of passes over the training rows.</summary>
    /// <value>At least 1.</value>
    public int Epochs
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Epochs), value, $"Epochs must be at least 1; got {value}.");
    }

    /// <summary>Gets the mini-batch size.</summary>
    /// <value>The default is 128; at least 1.</value>
    public int BatchSize
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, $"BatchSize must be at least 1; got {value}.");
    } = 128;

    /// <summary>Gets Adam's learning rate.</summary>
    /// <value>The default is 0.001; it must be positive and finite.</value>
    public double LearningRate
    {
        get;
        init => field = value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, $"LearningRate must be positive and finite; got {value}.");
    } = 1e-3;

    /// <summary>Gets the engine that runs the epochs, or <see langword="null"/> for the managed engine.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public ITrainingBackend? Backend { get; init; }

    /// <summary>Creates fresh trainer options (a new optimizer, so no run shares its moments with another).</summary>
    internal TrainerOptions CreateTrainerOptions(int seed) => new()
    {
        Epochs = Epochs,
        BatchSize = BatchSize,
        Seed = seed,
        Optimizer = new AdamOptimizer((float)LearningRate),
        KeepBestCheckpoint = true,
        Backend = Backend,
    };
}
