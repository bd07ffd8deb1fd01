using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Pruning;

/// <summary>
/// Removes filters or input channels of a <see cref="Conv2d"/> with one group, or channels of a depthwise one (one
/// filter per input channel), whose filters and groups shrink with the channels that feed it.
/// </summary>
/// <remarks>
/// A depthwise convolution is never pruned alone (003: it must keep as many output channels as input channels); it
/// follows the layer that produces its input. Other grouped convolutions are opaque: their filters are tied to groups
/// of input channels, which removing single units would break.
/// </remarks>
internal sealed class Conv2dPruner : LayerPruner
{
    /// <inheritdoc/>
    public override ChannelFlow Describe(Layer layer)
    {
        var conv = (Conv2d)layer;
        if (conv.Groups == 1)
        {
            return ChannelFlow.Produces;
        }

        return IsChannelWise(conv)
            ? ChannelFlow.ChannelWise
            : ChannelFlow.Opaque($"is a grouped convolution ({conv.Groups} groups, {conv.InChannels} input and {conv.OutChannels} output channels) whose channels cannot be removed one by one");
    }

    /// <inheritdoc/>
    public override void KeepOutputs(Layer layer, int[] keep)
    {
        var conv = RequireSingleGroup(layer);
        Keep(conv.Weight, 0, keep);
        if (conv.Bias is not null)
        {
            Keep(conv.Bias, 0, keep);
        }
    }

    /// <inheritdoc/>
    public override void KeepInputs(Layer layer, int[] keep) => Keep(RequireSingleGroup(layer).Weight, 1, keep);

    /// <inheritdoc/>
    public override void KeepChannels(Layer layer, int[] keep)
    {
        var conv = (Conv2d)layer;
        if (!IsChannelWise(conv))
        {
            throw new InvalidOperationException($"Layer '{conv.Name}': only a depthwise convolution with one filter per channel has coupled channels.");
        }

        // Weight [channels, 1, kh, kw]: filter c reads channel c only, so channels go with their filters and groups.
        Keep(conv.Weight, 0, keep);
        if (conv.Bias is not null)
        {
            Keep(conv.Bias, 0, keep);
        }

        conv.SetGroups(keep.Length);
    }

    /// <summary>Returns whether every channel has exactly one filter that reads it alone (groups = input = output channels).</summary>
    /// <param name="conv">The convolution.</param>
    /// <returns><see langword="true"/> for a depthwise convolution without a channel multiplier.</returns>
    internal static bool IsChannelWise(Conv2d conv) => conv.Groups > 1 && conv.Groups == conv.InChannels && conv.OutChannels == conv.InChannels;

    private static Conv2d RequireSingleGroup(Layer layer)
    {
        var conv = (Conv2d)layer;
        return conv.Groups == 1
            ? conv
            : throw new InvalidOperationException($"Layer '{conv.Name}': filters and input channels can only be removed from a convolution with one group.");
    }
}
