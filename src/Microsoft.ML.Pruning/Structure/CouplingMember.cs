using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>What removing a coupling's units does to one of its layers.</summary>
internal enum CouplingRole
{
    /// <summary>The layer makes the units: its output units (rows, filters) go.</summary>
    Producer,

    /// <summary>The layer carries the units channel by channel: its per-channel state (if any) goes.</summary>
    Channels,

    /// <summary>The layer reads the units as inputs: its input features or channels go.</summary>
    Consumer,
}

/// <summary>One layer touched by a <see cref="ChannelCoupling"/>.</summary>
/// <param name="Node">The layer's node.</param>
/// <param name="Role">What removing units does to it.</param>
/// <param name="Block">
/// How many consecutive features each unit covers where the layer sees it: 1, or a channel's plane size after a Flatten.
/// </param>
/// <param name="Offset">
/// Where the coupling's units begin along the axis the layer sees them on (channels or features): 0, or the range a
/// Concat gave them among other units.
/// </param>
/// <param name="Total">The length of that axis at the layer: the coupling's units and any others beside them.</param>
/// <param name="First">The first of the coupling's units the layer sees (0, or more behind a channel slice).</param>
/// <param name="Units">How many of the coupling's units the layer sees, from <paramref name="First"/> on; -1 for all.</param>
internal readonly record struct CouplingMember(NetworkNode Node, CouplingRole Role, int Block, int Offset, int Total, int First = 0, int Units = -1);
