using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Workflow;

/// <summary>
/// How a stage trains: epochs of Adam on seeded mini-batches, keeping the best epoch. The runner holds out a seeded tenth
/// of the stage's training rows to pick that epoch on (when there is more than one epoch to pick from), never the rows
/// that the reports and the accuracy budget are measured on.
/// </summary>
public sealed record StageTrainingOptions
{
    /// <summary>Creates the settings.</summary>
    /// <param name="epochs">The epochs, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is below 1.</exception>
    public StageTrainingOptions(int epochs)
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

    /// <summary>
    /// Gets how many of the first <see cref="Epochs"/> train only the new classifier head (<see cref="ClassifierHead"/>),
    /// with everything before it frozen, before the remaining epochs train every layer that is not in
    /// <see cref="FrozenLayers"/>: the first step of the usual transfer-learning recipe. When it equals
    /// <see cref="Epochs"/>, only the head trains.
    /// </summary>
    /// <value>The default is 0; in [0, <see cref="Epochs"/>]. Above 0 only where the run has a new head (a <see cref="PretrainedStage"/> with a <see cref="PretrainedStage.Head"/>).</value>
    public int HeadOnlyEpochs
    {
        get;
        init => field = value >= 0 && value <= Epochs ? value : throw new ArgumentOutOfRangeException(nameof(HeadOnlyEpochs), value, $"HeadOnlyEpochs must be in [0, Epochs] = [0, {Epochs}]; got {value}.");
    }

    /// <summary>
    /// Gets the names of the layers that keep their weights and BatchNorm statistics bit for bit in every epoch (they
    /// run as at inference). Layers frozen by a model stage stay frozen in the run's later stages, and its pruning
    /// stages leave them alone unless <see cref="PruningStage.PruneFrozenLayers"/> is set.
    /// </summary>
    /// <value>The default is <see langword="null"/>: none. Every name must be a layer of the network; the runner checks this before it trains.</value>
    public IReadOnlyList<string>? FrozenLayers
    {
        get;
        init => field = value is null ? null
            : value.Any(string.IsNullOrEmpty) ? throw new ArgumentException("FrozenLayers holds an empty layer name.", nameof(FrozenLayers))
            : value.ToArray();
    }

    /// <summary>Creates fresh trainer options (a new optimizer, so no run shares its moments with another) for some of the epochs, with the given frozen (or only trainable) layers.</summary>
    internal TrainerOptions CreateTrainerOptions(int seed, int epochs, IReadOnlyList<string>? frozen, IReadOnlyList<string>? trainable) => new()
    {
        Epochs = epochs,
        BatchSize = BatchSize,
        Seed = seed,
        Optimizer = new AdamOptimizer((float)LearningRate),
        KeepBestCheckpoint = true,
        Backend = Backend,
        FrozenLayers = trainable is null && frozen is { Count: > 0 } ? frozen.ToArray() : null,
        TrainableLayers = trainable?.ToArray(),
    };
}
