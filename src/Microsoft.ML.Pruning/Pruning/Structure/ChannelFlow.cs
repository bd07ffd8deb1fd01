namespace Microsoft.ML.Pruning.Pruning;

/// <summary>How a layer carries the units (channels or features) of its input to its output, as structural pruning sees it.</summary>
internal enum ChannelFlowKind
{
    /// <summary>The layer makes new units from all of its input's units (Dense, Conv2d with one group): it ends one coupling and starts another.</summary>
    Produces,

    /// <summary>Unit <c>i</c> of the input is unit <c>i</c> of the output, value by value (BatchNorm, activations, Dropout).</summary>
    ElementWise,

    /// <summary>Channel <c>i</c> of the input is channel <c>i</c> of the output, its plane changed (pooling, depthwise Conv2d).</summary>
    ChannelWise,

    /// <summary>The layer lays each channel's plane out as a block of consecutive features (Flatten).</summary>
    Flattens,

    /// <summary>The layer adds its inputs unit by unit, so their units must be removed together (Add).</summary>
    Joins,

    /// <summary>The layer mixes or reorders units in a way structural pruning does not follow: nothing it touches can be pruned.</summary>
    Opaque,
}

/// <summary>A layer's <see cref="ChannelFlowKind"/>, with the reason when it is <see cref="ChannelFlowKind.Opaque"/>.</summary>
/// <param name="Kind">How units flow through the layer.</param>
/// <param name="Reason">Why the layer blocks pruning, worded to follow "it feeds layer 'x', which"; <see langword="null"/> unless opaque.</param>
internal readonly record struct ChannelFlow(ChannelFlowKind Kind, string? Reason = null)
{
    /// <summary>Gets the flow of a layer that makes new units.</summary>
    public static ChannelFlow Produces => new(ChannelFlowKind.Produces);

    /// <summary>Gets the flow of a layer that keeps every value in place.</summary>
    public static ChannelFlow ElementWise => new(ChannelFlowKind.ElementWise);

    /// <summary>Gets the flow of a layer that keeps channels but changes their planes.</summary>
    public static ChannelFlow ChannelWise => new(ChannelFlowKind.ChannelWise);

    /// <summary>Creates the flow of a layer that blocks pruning.</summary>
    /// <param name="reason">Why, worded to follow "which".</param>
    /// <returns>The flow.</returns>
    public static ChannelFlow Opaque(string reason) => new(ChannelFlowKind.Opaque, reason);
}
