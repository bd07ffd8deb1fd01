using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>
/// The pruner of <see cref="ConstantOperation"/> (x + c, x · c, ... with a broadcast constant): element-wise, and when
/// the constant has one entry per channel (the same rank as the input and as many channels), it loses the entries of
/// the removed channels; a constant broadcast over the channels stays as it is.
/// </summary>
internal sealed class ConstantOperationPruner : LayerPruner
{
    /// <inheritdoc/>
    public override ChannelFlow Describe(Layer layer) => ChannelFlow.ElementWise;

    /// <inheritdoc/>
    public override void KeepChannels(Layer layer, int[] keep) =>
        throw new InvalidOperationException($"Layer '{layer.Name}': removing channels of a constant operation needs its input shape.");

    /// <inheritdoc/>
    public override void KeepChannels(Layer layer, int[] keep, int[] inputShape)
    {
        var constant = ((ConstantOperation)layer).Constant;
        if (constant.Value.Rank == inputShape.Length && constant.Value.Dim(0) > 1)
        {
            Keep(constant, 0, keep);
        }
    }
}
