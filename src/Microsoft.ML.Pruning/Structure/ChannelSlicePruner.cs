using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>
/// The pruner of <see cref="ChannelSlice"/>: the units of a layer whose channels lie wholly inside the slice pass on;
/// removing channels before or inside the range moves and shrinks the range. Units only partly inside the range are
/// never removed (the dependency graph blocks them).
/// </summary>
internal sealed class ChannelSlicePruner : LayerPruner
{
    /// <inheritdoc/>
    public override ChannelFlow Describe(Layer layer)
    {
        var slice = (ChannelSlice)layer;
        return ChannelFlow.Slices(slice.Start, slice.Count);
    }

    /// <inheritdoc/>
    public override void KeepChannels(Layer layer, int[] keep)
    {
        var slice = (ChannelSlice)layer;
        int start = keep.Count(channel => channel < slice.Start);
        int count = keep.Count(channel => channel >= slice.Start && channel < slice.Start + slice.Count);
        slice.SetRange(start, count);
    }
}
