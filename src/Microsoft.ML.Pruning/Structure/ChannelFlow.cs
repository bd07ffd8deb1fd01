namespace Microsoft.ML.Pruning.Structure;

/// <summary>How a layer carries the units (channels or features) of its input to its output, as structural pruning sees it.</summary>
internal enum ChannelFlowKind
{
    /// <summary>The layer makes new units from all of its input's units (Dense, Conv2d with one group): it ends one coupling and starts another.</summary>
    Produces,

    /// <summary>Unit <c>i</c> of the input is unit <c>i</c> of the output, value by value (BatchNorm, activations, Dropout).</summary>
    ElementWise,

    /// <summary>Channel <c>i</c> of the input is channel <c>i</c> of the output, its plane changed (pooling, depthwise Conv2d).</summary>
    ChannelWise,

    /// <summary>
    /// Channel <c>i</c> of the input is channel <c>i</c> of the output, but channels go in aligned groups of
    /// <see cref="ChannelFlow.Count"/> (a grouped Conv2d with as many output as input channels): only whole groups can be removed.
    /// </summary>
    GroupedChannels,

    /// <summary>The layer lays each channel's plane out as a block of consecutive features (Flatten).</summary>
    Flattens,

    /// <summary>The layer combines its inputs unit by unit (Add, Multiply between feature maps), so their units must be removed together.</summary>
    Joins,

    /// <summary>The layer lays its inputs' channels one after another (Concat on the channel axis): each input's units keep their own index range.</summary>
    Concatenates,

    /// <summary>The layer keeps the channels <see cref="ChannelFlow.Start"/> to <see cref="ChannelFlow.Start"/> + <see cref="ChannelFlow.Count"/> - 1 of its input.</summary>
    Slices,

    /// <summary>The layer mixes or reorders units in a way structural pruning does not follow: nothing it touches can be pruned.</summary>
    Opaque,
}

/// <summary>A layer's <see cref="ChannelFlowKind"/>, with the reason when it is <see cref="ChannelFlowKind.Opaque"/>.</summary>
/// <param name="Kind">How units flow through the layer.</param>
/// <param name="Reason">Why the layer blocks pruning, worded to follow "it feeds layer 'x', which"; <see langword="null"/> unless opaque.</param>
/// <param name="Start">The first channel a <see cref="ChannelFlowKind.Slices"/> layer keeps.</param>
/// <param name="Count">The channels a <see cref="ChannelFlowKind.Slices"/> layer keeps, or the channels per group of a <see cref="ChannelFlowKind.GroupedChannels"/> one.</param>
internal readonly record struct ChannelFlow(ChannelFlowKind Kind, string? Reason = null, int Start = 0, int Count = 0)
{
    /// <summary>Gets the flow of a layer that makes new units.</summary>
    public static ChannelFlow Produces => new(ChannelFlowKind.Produces);

    /// <summary>Gets the flow of a layer that keeps every value in place.</summary>
    public static ChannelFlow ElementWise => new(ChannelFlowKind.ElementWise);

    /// <summary>Gets the flow of a layer that keeps channels but changes their planes.</summary>
    public static ChannelFlow ChannelWise => new(ChannelFlowKind.ChannelWise);

    /// <summary>Gets the flow of a layer that joins its inputs unit by unit.</summary>
    public static ChannelFlow Joins => new(ChannelFlowKind.Joins);

    /// <summary>Gets the flow of a layer that concatenates its inputs' channels.</summary>
    public static ChannelFlow Concatenates => new(ChannelFlowKind.Concatenates);

    /// <summary>Creates the flow of a layer that keeps a range of its input's channels.</summary>
    /// <param name="start">The first channel kept.</param>
    /// <param name="count">How many channels are kept.</param>
    /// <returns>The flow.</returns>
    public static ChannelFlow Slices(int start, int count) => new(ChannelFlowKind.Slices, Start: start, Count: count);

    /// <summary>Creates the flow of a grouped convolution whose channels go in groups of <paramref name="groupSize"/>.</summary>
    /// <param name="groupSize">The channels per group.</param>
    /// <returns>The flow.</returns>
    public static ChannelFlow GroupedChannels(int groupSize) => new(ChannelFlowKind.GroupedChannels, Count: groupSize);

    /// <summary>Creates the flow of a layer that blocks pruning.</summary>
    /// <param name="reason">Why, worded to follow "which".</param>
    /// <returns>The flow.</returns>
    public static ChannelFlow Opaque(string reason) => new(ChannelFlowKind.Opaque, reason);
}
