using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Training;

/// <summary>
/// One fit on the managed engine: forward, loss on the output node, backward from it, one optimizer step on the
/// parameters of the layers that are not frozen. The network trains in place; frozen layers run as at inference and
/// compute no parameter gradients, and layers with nothing trainable upstream compute no input gradient, for the
/// session's lifetime.
/// </summary>
internal sealed class ManagedTrainingSession : ITrainingSession
{
    private readonly Network _network;
    private readonly Loss _loss;
    private readonly Optimizer _optimizer;
    private readonly int _outputNode;
    private readonly Parameter[] _trainable;
    private readonly LayerSwitches _switches;
    private readonly FloatTensor _gradient = new(1, 1);
    private NetworkCheckpoint? _checkpoint;

    public ManagedTrainingSession(Network network, TrainingSetup setup)
    {
        _network = network;
        _loss = setup.Loss;
        _optimizer = setup.Optimizer;
        _outputNode = setup.OutputNode;
        _trainable = network.Nodes.Where(n => !setup.FrozenLayers.Contains(n.Layer)).SelectMany(n => n.Layer.Parameters).ToArray();
        _switches = LayerSwitches.Freeze(network, setup.FrozenLayers);
    }

    /// <inheritdoc/>
    public void SetLearningRate(float learningRate) => _optimizer.LearningRate = learningRate;

    /// <inheritdoc/>
    public BatchOutcome TrainBatch(FloatTensor features, ReadOnlySpan<int> labels)
    {
        _network.Forward(features, training: true);
        var output = _network.OutputOf(_outputNode)!;
        float loss = _loss.Compute(output, labels, _gradient);
        int correct = Evaluator.CountCorrect(output, labels);
        _network.BackwardFrom(_gradient, _outputNode);
        _optimizer.Step(_trainable);
        return new BatchOutcome(loss, correct);
    }

    /// <inheritdoc/>
    public BatchOutcome EvaluateBatch(FloatTensor features, ReadOnlySpan<int> labels) => Evaluator.EvaluateBatch(_network, _loss, _outputNode, features, labels);

    /// <inheritdoc/>
    public bool TrySaveCheckpoint()
    {
        foreach (var tensor in _network.State)
        {
            if (FiniteValues.IndexOfNonFinite(tensor.Value.Span) >= 0)
            {
                return false;
            }
        }

        _checkpoint = NetworkCheckpoint.Capture(_network);
        return true;
    }

    /// <inheritdoc/>
    public void RestoreCheckpoint() =>
        (_checkpoint ?? throw new InvalidOperationException("No checkpoint was saved.")).Restore(_network);

    /// <inheritdoc/>
    public void CopyToNetwork()
    {
    }

    /// <inheritdoc/>
    public void Dispose() => _switches.Restore();
}
