using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>
/// A set of units that exist together in the network: the layers producing them (several when residual Adds join
/// them) and every layer that carries or reads them. Found by <see cref="DependencyGraph"/>.
/// </summary>
internal sealed class ChannelCoupling
{
    /// <summary>Creates a coupling.</summary>
    /// <param name="producers">The producing nodes, in topological order (at least one).</param>
    /// <param name="members">Every touched layer with its role, producers included, in topological order.</param>
    /// <param name="activationNode">The node whose output holds the units as the rest of the network sees them.</param>
    /// <param name="blocker">Why the units cannot be removed, or <see langword="null"/>.</param>
    /// <param name="granularity">The run length in which units must be removed: 1, or the channels per group of the grouped convolutions they pass.</param>
    public ChannelCoupling(IReadOnlyList<NetworkNode> producers, IReadOnlyList<CouplingMember> members, NetworkNode activationNode, string? blocker, int granularity = 1)
    {
        Producers = producers;
        Members = members;
        ActivationNode = activationNode;
        UnitCount = producers[0].Layer switch
        {
            Dense dense => dense.Outputs,
            Conv2d conv => conv.OutChannels,
            var other => throw new InvalidOperationException($"Layer '{other.Name}' ({other.GetType().Name}) cannot produce prunable units."),
        };
        Granularity = granularity;
        if (blocker is null && (UnitCount % granularity != 0 || UnitCount == granularity))
        {
            blocker = UnitCount == granularity
                ? $"its {UnitCount} units form one group of a grouped convolution, and the last group cannot go"
                : $"its {UnitCount} units do not divide into the groups of {granularity} channels of the grouped convolutions they pass";
        }

        Blocker = blocker;
    }

    /// <summary>Gets the producing nodes, in topological order.</summary>
    public IReadOnlyList<NetworkNode> Producers { get; }

    /// <summary>Gets every touched layer with its role, in topological order.</summary>
    public IReadOnlyList<CouplingMember> Members { get; }

    /// <summary>Gets the node whose output holds the units as the rest of the network sees them.</summary>
    public NetworkNode ActivationNode { get; }

    /// <summary>Gets why the units cannot be removed (worded to follow the group's name), or <see langword="null"/> when they can.</summary>
    public string? Blocker { get; }

    /// <summary>Gets the number of units.</summary>
    public int UnitCount { get; }

    /// <summary>Gets the run length in which units must be removed: whole aligned runs of this many units (1: one by one).</summary>
    public int Granularity { get; }

    /// <summary>Gets the producers' names joined by <c>+</c>.</summary>
    public string Name => string.Join("+", Producers.Select(p => p.Layer.Name));

    /// <summary>Returns whether this coupling's producers are exactly <paramref name="producers"/> (the same nodes, in order).</summary>
    /// <param name="producers">The nodes to compare with.</param>
    /// <returns><see langword="true"/> when they match.</returns>
    public bool HasProducers(IReadOnlyList<NetworkNode> producers) =>
        producers.Count == Producers.Count && Producers.Zip(producers).All(pair => ReferenceEquals(pair.First, pair.Second));

    /// <summary>Describes the coupling as a public <see cref="PruningGroup"/>.</summary>
    /// <returns>The group.</returns>
    public PruningGroup ToGroup() =>
        new(Name, Producers[0].Layer is Dense ? UnitKind.Neuron : UnitKind.Filter, Producers, ActivationNode, UnitCount, Granularity);
}
