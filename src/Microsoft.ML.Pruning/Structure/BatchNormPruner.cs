using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>Removes channels of a <see cref="BatchNorm"/>: its scale, shift, running mean and running variance (003).</summary>
internal sealed class BatchNormPruner : LayerPruner
{
    /// <inheritdoc/>
    public override ChannelFlow Describe(Layer layer) => ChannelFlow.ElementWise;

    /// <inheritdoc/>
    public override void KeepChannels(Layer layer, int[] keep)
    {
        var norm = (BatchNorm)layer;
        Keep(norm.Scale, 0, keep);
        Keep(norm.Shift, 0, keep);
        Keep(norm.RunningMean, 0, keep);
        Keep(norm.RunningVariance, 0, keep);
    }
}
