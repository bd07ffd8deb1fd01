using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>
/// The pruner of a layer that combines two feature maps unit by unit (<see cref="Add"/>, <see cref="Subtract"/>,
/// <see cref="Multiply"/>, <see cref="Divide"/>): it has no state, but it couples its inputs, so every layer producing
/// units that meet at it (directly or through earlier joins) loses the same units. A residual Add joins the branches of
/// a block; a Multiply joins a squeeze-excitation gate's last convolution with the feature map it gates ([C, H, W] ·
/// [C, 1, 1]). Inputs whose channels differ (a broadcast over channels) block their units instead.
/// </summary>
internal sealed class JoinPruner : LayerPruner
{
    /// <inheritdoc/>
    public override ChannelFlow Describe(Layer layer) => ChannelFlow.Joins;
}
