using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>
/// The pruner of a layer without per-unit state that carries units through unchanged in number (activations,
/// Dropout, pooling): removing units changes only its shapes, which the network recomputes.
/// </summary>
/// <param name="flow">Whether the layer is element-wise or changes each channel's plane.</param>
internal sealed class PassThroughPruner(ChannelFlow flow) : LayerPruner
{
    /// <inheritdoc/>
    public override ChannelFlow Describe(Layer layer) => flow;

    /// <inheritdoc/>
    public override void KeepChannels(Layer layer, int[] keep)
    {
    }
}
