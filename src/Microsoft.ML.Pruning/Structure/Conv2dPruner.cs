using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>
/// Removes filters or input channels of a <see cref="Conv2d"/> with one group, channels of a depthwise one (one
/// filter per input channel), whose filters and groups shrink with the channels that feed it, or whole groups of a
/// grouped one with as many output as input channels.
/// </summary>
/// <remarks>
/// A depthwise convolution is never pruned alone (003: it must keep as many output channels as input channels); it
/// follows the layer that produces its input. A grouped convolution with as many output as input channels (RegNet,
/// ResNeXt) maps group <c>g</c> of its input channels onto group <c>g</c> of its outputs, so it follows its input too,
/// losing whole groups (Torch-Pruning prunes such convolutions group-wise as well). Grouped convolutions with a channel
/// multiplier are opaque.
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

        if (IsChannelWise(conv))
        {
            return ChannelFlow.ChannelWise;
        }

        return conv.OutChannels == conv.InChannels
            ? ChannelFlow.GroupedChannels(conv.InChannels / conv.Groups)
            : ChannelFlow.Opaque($"is a grouped convolution ({conv.Groups} groups, {conv.InChannels} input and {conv.OutChannels} output channels) whose output groups differ in size from its input groups");
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
        if (conv.Groups == 1 || conv.OutChannels != conv.InChannels)
        {
            throw new InvalidOperationException($"Layer '{conv.Name}': only a depthwise or grouped convolution with as many output as input channels has coupled channels.");
        }

        // Weight [channels, channels per group, kh, kw]: the filters of group g read the input channels of group g only,
        // so whole groups of channels go with their filters (depthwise: one channel per group).
        int groupSize = conv.InChannels / conv.Groups;
        if (keep.Length % groupSize != 0 || keep.Where((channel, i) => channel % groupSize != i % groupSize || (i % groupSize > 0 && channel != keep[i - 1] + 1)).Any())
        {
            throw new InvalidOperationException($"Layer '{conv.Name}': channels can only be removed in whole groups of {groupSize}.");
        }

        Keep(conv.Weight, 0, keep);
        if (conv.Bias is not null)
        {
            Keep(conv.Bias, 0, keep);
        }

        conv.SetGroups(keep.Length / groupSize);
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
