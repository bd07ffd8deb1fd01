using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>
/// The pruner of <see cref="Concat"/>: it has no state, but it lays input <c>k</c>'s channels out after those of inputs
/// 0 to k - 1, so each input's units keep their own index range in the output (DenseNet, SqueezeNet's fire modules,
/// GoogLeNet's inception branches), and the layers after it lose, for each input, the entries of that range.
/// </summary>
internal sealed class ConcatPruner : LayerPruner
{
    /// <inheritdoc/>
    public override ChannelFlow Describe(Layer layer) => ChannelFlow.Concatenates;
}
