using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Training;

/// <summary>
/// Sets the managed layers' pass switches for a fit with frozen layers, and puts them back afterwards: a frozen layer
/// keeps its inference behaviour in training passes and computes no parameter gradients; a layer with no trainable
/// layer upstream computes no input gradient, so that the backward pass stops where the trainable layers begin.
/// </summary>
internal sealed class LayerSwitches
{
    private readonly (Layer Layer, bool Inference, bool ParameterGradients, bool InputGradient)[] _kept;

    private LayerSwitches((Layer, bool, bool, bool)[] kept) => _kept = kept;

    /// <summary>Sets the switches of <paramref name="network"/>'s layers for the frozen set.</summary>
    /// <param name="network">The network.</param>
    /// <param name="frozen">The frozen layers; when empty nothing changes.</param>
    /// <returns>What to restore.</returns>
    public static LayerSwitches Freeze(Network network, IReadOnlySet<Layer> frozen)
    {
        if (frozen.Count == 0)
        {
            return new LayerSwitches([]);
        }

        var nodes = network.Nodes;
        var kept = nodes.Select(n => (n.Layer, n.Layer.KeepInferenceBehaviour, n.Layer.ComputeParameterGradients, n.Layer.ComputeInputGradient)).ToArray();
        var trainsUpstream = new bool[nodes.Count];
        foreach (var node in nodes)
        {
            bool inputsTrain = node.Inputs.Any(i => i != NetworkNode.NetworkInput && trainsUpstream[i]);
            bool trains = !frozen.Contains(node.Layer) && node.Layer.Parameters.Count > 0;
            trainsUpstream[node.Index] = trains || inputsTrain;
            if (frozen.Contains(node.Layer))
            {
                node.Layer.KeepInferenceBehaviour = true;
                node.Layer.ComputeParameterGradients = false;
            }

            if (!inputsTrain)
            {
                node.Layer.ComputeInputGradient = false;
            }
        }

        return new LayerSwitches(kept);
    }

    /// <summary>Puts every switch back as it was.</summary>
    public void Restore()
    {
        foreach (var (layer, inference, parameterGradients, inputGradient) in _kept)
        {
            layer.KeepInferenceBehaviour = inference;
            layer.ComputeParameterGradients = parameterGradients;
            layer.ComputeInputGradient = inputGradient;
        }
    }
}
