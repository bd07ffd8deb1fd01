using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Training;

/// <summary>What a <see cref="Trainer"/> gives a <see cref="ITrainingBackend"/> to bind a network to: its options, resolved for that network.</summary>
public sealed class TrainingSetup
{
    internal TrainingSetup(Loss loss, Optimizer optimizer, int outputNode, int seed, int classCount, int batchSize, IReadOnlySet<Layer> frozenLayers)
    {
        Loss = loss;
        Optimizer = optimizer;
        OutputNode = outputNode;
        Seed = seed;
        ClassCount = classCount;
        BatchSize = batchSize;
        FrozenLayers = frozenLayers;
    }

    /// <summary>Gets the loss.</summary>
    public Loss Loss { get; }

    /// <summary>
    /// Gets the optimizer: a copy made for this fit, with the configured hyperparameters and no state, which the session
    /// may step and whose learning rate it may change (<see cref="ITrainingSession.SetLearningRate"/> gives the rate of each epoch).
    /// </summary>
    public Optimizer Optimizer { get; }

    /// <summary>
    /// Gets the index of the node whose output the loss and the accuracy read: the logits before a final Softmax when the
    /// loss applies its own (softmax cross-entropy), else the last node.
    /// </summary>
    public int OutputNode { get; }

    /// <summary>Gets the seed (dropout masks).</summary>
    public int Seed { get; }

    /// <summary>Gets the number of classes of the data.</summary>
    public int ClassCount { get; }

    /// <summary>Gets the largest batch that <see cref="ITrainingSession.TrainBatch"/> and <see cref="ITrainingSession.EvaluateBatch"/> will be given.</summary>
    public int BatchSize { get; }

    /// <summary>
    /// Gets the layers that must not change: their parameters take no step (no weight decay, no optimizer state), and
    /// they run as at inference in training passes (a BatchNorm normalizes with its running statistics and leaves them
    /// unchanged; dropout passes its input through).
    /// </summary>
    public IReadOnlySet<Layer> FrozenLayers { get; }
}
