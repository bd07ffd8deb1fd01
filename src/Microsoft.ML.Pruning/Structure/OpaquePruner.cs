using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>The pruner of a layer that structural pruning cannot see through: the units it reads and writes are never removed.</summary>
/// <param name="reason">Why, worded to follow "which".</param>
internal sealed class OpaquePruner(string reason) : LayerPruner
{
    /// <inheritdoc/>
    public override ChannelFlow Describe(Layer layer) => ChannelFlow.Opaque(reason);
}
