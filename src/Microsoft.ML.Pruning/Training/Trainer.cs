using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Training;

/// <summary>
/// Trains a network on mini-batches shuffled with a seed, evaluates after each epoch, stops early on a plateau, keeps
/// the best checkpoint, reports progress and honours cancellation. The same seed and
/// <see cref="ComputeSettings.DegreeOfParallelism"/> give bit-identical weights.
/// </summary>
/// <remarks>
/// The epoch loop is written once, here, whatever engine runs the batches (<see cref="TrainerOptions.Backend"/>): the
/// managed engine and TorchSharp differ only in how one batch is computed. A fit never changes the options or the
/// optimizer it was given: it steps a copy of the optimizer, and each fit starts from the configured learning rate with
/// fresh optimizer state.
/// </remarks>
public sealed class Trainer
{
    private readonly TrainerOptions _options;

    /// <summary>Creates a trainer.</summary>
    /// <param name="options">The options; copied and validated here.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    /// <exception cref="ArgumentException"><see cref="TrainerOptions.FrozenLayers"/> and <see cref="TrainerOptions.TrainableLayers"/> are both set, or one holds an empty name.</exception>
    public Trainer(TrainerOptions? options = null)
    {
        _options = options?.Copy() ?? new TrainerOptions();
        _options.Validate();
    }

    /// <summary>Trains <paramref name="network"/> in place.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="training">The training data: a <see cref="Dataset"/> or any other <see cref="IBatchSource"/>.</param>
    /// <param name="validation">Data to evaluate after each epoch; the monitored accuracy is measured on it when given.</param>
    /// <param name="progress">Receives a report after each batch and each epoch.</param>
    /// <param name="cancellationToken">
    /// Stops training between batches. The network then holds the weights of the best completed epoch (of the last one
    /// without <see cref="TrainerOptions.KeepBestCheckpoint"/>), or the weights it started with when no epoch completed;
    /// never the half-updated weights of the interrupted epoch.
    /// </param>
    /// <returns>The history and outcome.</returns>
    /// <exception cref="ArgumentException">
    /// The data are empty or do not fit the network, a feature value is not finite (the message names the row), the
    /// network's weights are not finite, a layer named in <see cref="TrainerOptions.FrozenLayers"/> or
    /// <see cref="TrainerOptions.TrainableLayers"/> is not in the network, or one sample's activations would not fit in
    /// memory (the message names the node and the bytes).
    /// </exception>
    /// <exception cref="DataRowException">
    /// A streamed row could not be read: a feature vector of the wrong size or with a non-finite value, a cursor that
    /// failed, or a source whose rows changed between passes. The message names the column and the row; the network then
    /// holds the weights it would hold after a cancellation at that point.
    /// </exception>
    /// <exception cref="NotFiniteNumberException">
    /// Training diverged: a loss or a weight became NaN or infinite. The message names the epoch, the batch and the
    /// learning rate; the network then holds the weights it would hold after a cancellation at that point.
    /// </exception>
    /// <exception cref="NotSupportedException">The backend cannot run a layer, the loss or the optimizer; the message names it.</exception>
    public TrainingResult Fit(Network network, IBatchSource training, IBatchSource? validation = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(training);
        if (training.RowCount == 0)
        {
            throw new ArgumentException("The training data is empty.", nameof(training));
        }

        Evaluator.CheckCompatible(network, training, nameof(training));
        if (validation is not null)
        {
            Evaluator.CheckCompatible(network, validation, nameof(validation));
        }

        FiniteWeights.Ensure(network);
        var frozen = ResolveFrozenLayers(network);
        var loss = _options.Loss ?? new SoftmaxCrossEntropyLoss();
        var (batchSize, note) = BatchMemory.Choose(network, _options.BatchSize, training.RowCount, training: true, _options.BatchMemoryLimit);
        long? largestEvaluation = validation is null ? training.RowCount : Math.Max(validation.RowCount ?? long.MaxValue, training.RowCount ?? long.MaxValue);
        int evaluationBatchSize = BatchMemory.Choose(network, _options.EvaluationBatchSize, largestEvaluation, training: false, Math.Min(_options.BatchMemoryLimit, BatchMemory.InferenceBudget)).BatchSize;
        var setup = new TrainingSetup(
            loss,
            (_options.Optimizer ?? new AdamOptimizer()).CopyWithoutState(),
            network.Nodes.Count == 0 ? -1 : loss.ScoredNode(network),
            _options.Seed,
            training.ClassCount,
            Math.Max(batchSize, evaluationBatchSize),
            frozen);
        using var session = (_options.Backend ?? ManagedTrainingBackend.Instance).Bind(network, setup);
        var loop = new EpochLoop(_options, session, training, validation, batchSize, evaluationBatchSize, setup.Optimizer.LearningRate, progress, cancellationToken);
        return loop.Run(note);
    }

    private IReadOnlySet<Layer> ResolveFrozenLayers(Network network)
    {
        var frozen = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        var (names, option) = _options.TrainableLayers is { } trainable
            ? (trainable, nameof(TrainerOptions.TrainableLayers))
            : (_options.FrozenLayers ?? [], nameof(TrainerOptions.FrozenLayers));
        var byName = network.Nodes.ToDictionary(n => n.Layer.Name, n => n.Layer, StringComparer.Ordinal);
        var named = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        foreach (string name in names)
        {
            if (!byName.TryGetValue(name, out var layer))
            {
                throw new ArgumentException(
                    $"TrainerOptions.{option} names layer '{name}', which the network does not have. Its layers: {string.Join(", ", network.Nodes.Select(n => n.Layer.Name))}.", option);
            }

            named.Add(layer);
        }

        foreach (var node in network.Nodes)
        {
            if (_options.TrainableLayers is null ? named.Contains(node.Layer) : !named.Contains(node.Layer))
            {
                frozen.Add(node.Layer);
            }
        }

        return frozen;
    }
}
