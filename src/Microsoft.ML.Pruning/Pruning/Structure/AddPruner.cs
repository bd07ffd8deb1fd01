using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Pruning;

/// <summary>
/// The pruner of a residual <see cref="Add"/>: it has no state, but it couples its inputs, so every layer producing
/// units that meet at it (directly or through earlier Adds) loses the same units.
/// </summary>
internal sealed class AddPruner : LayerPruner
{
    /// <inheritdoc/>
    public override ChannelFlow Describe(Layer layer) => new(ChannelFlowKind.Joins);
}
