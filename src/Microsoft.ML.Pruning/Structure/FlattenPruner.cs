using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>
/// The pruner of <see cref="Flatten"/>: it has no state, but it lays channel <c>c</c> of a [C, H, W] input out as the
/// block of features <c>c·H·W</c> to <c>(c + 1)·H·W - 1</c>, so the Dense layer after it loses whole blocks of
/// inputs per removed channel (see <see cref="CouplingRemoval"/>).
/// </summary>
internal sealed class FlattenPruner : LayerPruner
{
    /// <inheritdoc/>
    public override ChannelFlow Describe(Layer layer) => new(ChannelFlowKind.Flattens);
}
