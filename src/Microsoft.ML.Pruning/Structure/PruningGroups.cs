using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>Finds the prunable groups of a network and removes units from them structurally.</summary>
/// <remarks>
/// <para>
/// A group's units are the output neurons of a <see cref="Dense"/> layer or the filters of a <see cref="Conv2d"/> with one
/// group, followed through the layers that carry them channel by channel (BatchNorm, activations, Dropout, padding,
/// pooling, global average pooling, per-channel constants, depthwise convolutions, whose filters and groups shrink with
/// their input, and grouped convolutions with as many outputs as inputs, which lose whole groups) to the layers that
/// read them: a Dense (directly, or across a Flatten, where each channel is a block of features), a Conv2d (its input
/// channels), or a join (residual <see cref="Add"/>, a squeeze-excitation <see cref="Multiply"/>), which makes every
/// layer whose units meet there one group. A <see cref="Concat"/> gives each input's units their own index range of its
/// output; a <see cref="ChannelSlice"/> passes on the units in its range and moves with the removals before it.
/// </para>
/// <para>
/// Removing filters shrinks the next layer's inputs and the BatchNorm channels in between (003); the coupling of layers
/// across residual connections, concatenations and gates follows Torch-Pruning's dependency graph. Never in a group
/// (see <see cref="FindSkipped"/>): the output layer, units that a join meets with the network's input, units that
/// reach a layer structural pruning does not see through (channel shuffle, Softmax inside the network, grouped
/// convolutions with a channel multiplier, layer types it does not know), and units a channel slice cuts through.
/// </para>
/// </remarks>
internal static class PruningGroups
{
    private static readonly StructuredPruningOptions Defaults = new();

    /// <summary>Finds the groups that structural pruning may remove units from.</summary>
    /// <param name="network">The network.</param>
    /// <param name="options">
    /// Which layers: <see cref="StructuredPruningOptions.Layers"/> selects groups by the name of any of their producers;
    /// with <see cref="StructuredPruningOptions.IncludeFirstLayer"/> off, the group of the network's first Dense or
    /// Conv2d layer is left out. The other options do not matter here.
    /// </param>
    /// <returns>The groups, ordered by their first producer.</returns>
    /// <exception cref="ArgumentException">
    /// <see cref="StructuredPruningOptions.Layers"/> names a layer that does not exist, that is not a Dense or Conv2d, or
    /// that cannot be pruned; the message names the layer and says why.
    /// </exception>
    public static IReadOnlyList<PruningGroup> Find(Network network, StructuredPruningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= Defaults;
        options.Validate();
        var graph = DependencyGraph.Build(network);
        var prunable = graph.Couplings.Where(c => c.Blocker is null).ToList();
        var first = options.IncludeFirstLayer ? null : FirstLayerCoupling(network, graph);
        if (options.Layers is null)
        {
            return prunable.Where(c => c != first).Select(c => c.ToGroup()).ToArray();
        }

        var chosen = new HashSet<ChannelCoupling>(ReferenceEqualityComparer.Instance);
        foreach (string name in options.Layers)
        {
            chosen.Add(Resolve(network, graph, prunable, first, name));
        }

        return prunable.Where(chosen.Contains).Select(c => c.ToGroup()).ToArray();
    }

    /// <summary>Finds the coupled units that structural pruning cannot remove, each with the reason.</summary>
    /// <param name="network">The network.</param>
    /// <returns>The skipped groups, ordered by their first producer: the output layer, units joined to the network's
    /// input, units that reach a layer structural pruning does not see through (channel shuffle, Softmax, unknown layers),
    /// and units that a channel slice cuts through.</returns>
    public static IReadOnlyList<SkippedGroup> FindSkipped(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return DependencyGraph.Build(network).Couplings.Where(c => c.Blocker is not null)
            .Select(c => new SkippedGroup(c.Name, c.UnitCount, c.Blocker!)).ToArray();
    }

    /// <summary>
    /// Removes units from a group in place: the producers' rows or filters, the channels of every BatchNorm, per-channel
    /// constant, depthwise or grouped convolution that carries them (wherever a Concat placed them), the ranges of the
    /// channel slices they pass, and the inputs of every layer that reads them; then recomputes the network's shapes.
    /// </summary>
    /// <param name="network">The network the group was found in.</param>
    /// <param name="group">The group, as <see cref="Find"/> returned it for the network as it is now.</param>
    /// <param name="units">The units to remove, each in [0, <see cref="PruningGroup.UnitCount"/>); duplicates count once.</param>
    /// <remarks>
    /// Parameters keep their identity and masks (restricted to the kept entries); an optimizer that already holds a
    /// shrunk parameter starts its state (momentum, Adam moments) for it afresh. Nothing changes when a check fails.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// The group is not from this network or is out of date (its layers changed since it was found), a unit is out of
    /// range, every unit would go, or only part of a block of <see cref="PruningGroup.BlockSize"/> units would go; the
    /// message names the group and the unit.
    /// </exception>
    public static void Remove(Network network, PruningGroup group, IReadOnlyCollection<int> units)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(units);
        var coupling = DependencyGraph.Build(network).Couplings.FirstOrDefault(c => c.HasProducers(group.Producers))
            ?? throw new ArgumentException($"Group '{group.Name}' does not belong to this network, or its layers are no longer coupled as when it was found; find the groups again.", nameof(group));
        if (coupling.Blocker is not null)
        {
            throw new ArgumentException($"Group '{group.Name}' cannot be pruned: {coupling.Blocker}.", nameof(group));
        }

        int count = coupling.UnitCount;
        if (count != group.UnitCount)
        {
            throw new ArgumentException($"Group '{group.Name}' is out of date: it was found with {group.UnitCount} units but its layers now have {count}; find the groups again.", nameof(group));
        }

        var removed = new bool[count];
        int removing = 0;
        foreach (int unit in units)
        {
            if (unit < 0 || unit >= count)
            {
                throw new ArgumentOutOfRangeException(nameof(units), unit, $"Group '{group.Name}': unit {unit} is out of range; the group has {count} units (0 to {count - 1}).");
            }

            if (!removed[unit])
            {
                removed[unit] = true;
                removing++;
            }
        }

        if (removing == count)
        {
            throw new ArgumentException($"Group '{group.Name}': removing all {count} units would cut the network in two; at least one must stay.", nameof(units));
        }

        if (removing == 0)
        {
            return;
        }

        if (CouplingRemoval.FirstSplitBlock(removed, coupling.Granularity) is >= 0 and int split)
        {
            int from = split * coupling.Granularity;
            throw new ArgumentException($"Group '{group.Name}': units go in whole blocks of {coupling.Granularity} (the channel groups of its grouped convolutions), but only part of units {from} to {from + coupling.Granularity - 1} would go.", nameof(units));
        }

        CouplingRemoval.Apply(network, coupling, removed);
        network.RefreshShapes();
    }

    private static ChannelCoupling? FirstLayerCoupling(Network network, DependencyGraph graph) =>
        network.Nodes.FirstOrDefault(n => n.Layer is Dense or Conv2d) is { } first ? graph.CouplingOf(first, CouplingRole.Producer) : null;

    private static ChannelCoupling Resolve(Network network, DependencyGraph graph, List<ChannelCoupling> prunable, ChannelCoupling? first, string? name)
    {
        const string Option = "StructuredPruningOptions.Layers";
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"{Option} holds an empty layer name.", "options");
        }

        var node = network.Nodes.FirstOrDefault(n => n.Layer.Name == name);
        string valid = prunable.Count == 0
            ? "this network has no prunable layers"
            : "prunable layers: " + string.Join(", ", prunable.SelectMany(c => c.Producers).Select(p => $"'{p.Layer.Name}'"));
        if (node is null)
        {
            throw new ArgumentException($"{Option} names '{name}', which is not a layer of this network ({valid}).", "options");
        }

        if (node.Layer is not (Dense or Conv2d))
        {
            throw new ArgumentException($"{Option} names '{name}', a {node.Layer.GetType().Name} layer; only Dense and Conv2d layers have units to prune ({valid}).", "options");
        }

        if (graph.OpaqueReason(node) is { } opaque)
        {
            throw new ArgumentException($"{Option} names '{name}', which cannot be pruned: it {opaque}.", "options");
        }

        var coupling = graph.CouplingOf(node, CouplingRole.Producer);
        if (coupling is null)
        {
            // A depthwise convolution carries the units of the layer that feeds it.
            var feeder = graph.CouplingOf(node, CouplingRole.Channels);
            string detail = feeder is null
                ? "and its input does not come from a prunable layer"
                : feeder.Blocker is null ? $"so name '{feeder.Producers[0].Layer.Name}' instead" : $"and '{feeder.Name}' cannot be pruned: {feeder.Blocker}";
            throw new ArgumentException($"{Option} names '{name}', a {(((Conv2d)node.Layer).IsDepthwise ? "depthwise" : "grouped")} convolution: it is pruned together with the layer that feeds it, {detail}.", "options");
        }

        if (coupling.Blocker is not null)
        {
            throw new ArgumentException($"{Option} names '{name}', which cannot be pruned: {coupling.Blocker}.", "options");
        }

        if (coupling == first)
        {
            throw new ArgumentException($"{Option} names '{name}', which is in the group of the first layer ('{coupling.Name}'), but StructuredPruningOptions.IncludeFirstLayer is false.", "options");
        }

        return coupling;
    }
}
