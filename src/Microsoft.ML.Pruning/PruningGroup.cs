using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning;

/// <summary>
/// A set of output units that can only be removed together, with everything coupled to them: the layers that produce
/// the units (one for a plain layer, several for the branches of a residual <see cref="Add"/>), and, implicitly, the
/// BatchNorm channels, pass-through layers and consumer inputs that follow.
/// </summary>
/// <remarks>
/// <para>
/// Unit <c>i</c> of a group is output channel <c>i</c> (axis 1) of every producer and of <see cref="ActivationNode"/>.
/// Groups are found by <see cref="Find"/>; <see cref="FindSkipped"/> names the coupled units that cannot be removed.
/// </para>
/// <para>
/// A group's units are the output neurons of a <see cref="Dense"/> layer or the filters of a <see cref="Conv2d"/> with one
/// group, followed through the layers that carry them channel by channel (BatchNorm, activations, Dropout, padding,
/// pooling, global average pooling, per-channel constants, depthwise convolutions, whose filters and groups shrink with
/// their input, and grouped convolutions with as many outputs as inputs, which lose whole groups) to the layers that
/// read them: a Dense (directly, or across a Flatten, where each channel is a block of features), a Conv2d (its input
/// channels), or a join (residual <see cref="Add"/>, a squeeze-excitation <see cref="Multiply"/>), which makes every
/// layer whose units meet there one group. A <see cref="Concat"/> gives each input's units their own index range of its
/// output; a <see cref="ChannelSlice"/> passes on the units in its range and moves with the removals before it. The
/// coupling of layers across residual connections, concatenations and gates follows Torch-Pruning's dependency graph.
/// </para>
/// </remarks>
public sealed class PruningGroup
{
    internal PruningGroup(string name, UnitKind kind, IReadOnlyList<NetworkNode> producers, NetworkNode activationNode, int unitCount, int blockSize = 1)
    {
        BlockSize = blockSize;
        Name = name;
        Kind = kind;
        Producers = producers;
        ActivationNode = activationNode;
        UnitCount = unitCount;
    }

    /// <summary>Gets the group's name: the producer's layer name, or the producers' names joined by <c>+</c>.</summary>
    public string Name { get; }

    /// <summary>Gets whether the units are neurons or filters.</summary>
    public UnitKind Kind { get; }

    /// <summary>Gets the <see cref="Dense"/> or <see cref="Conv2d"/> nodes whose output units are removed together.</summary>
    public IReadOnlyList<NetworkNode> Producers { get; }

    /// <summary>
    /// Gets the node whose output holds the units' activations as the rest of the network sees them: the last node of
    /// the chain of element-wise layers (BatchNorm, activation, dropout) that follows the producer, or the producer itself.
    /// For a residual group the chain starts at the last <see cref="Add"/> where the producers' units meet.
    /// Distinctiveness and Taylor read this node's output; APoZ reads the last ReLU or LeakyReLU of the chain.
    /// </summary>
    public NetworkNode ActivationNode { get; }

    /// <summary>Gets the number of units in the group now.</summary>
    public int UnitCount { get; }

    /// <summary>
    /// Gets how many consecutive units go together: the channels per group of the grouped convolutions the units pass
    /// through, or 1. Units are removed in whole aligned blocks (units <c>k·BlockSize</c> to <c>(k + 1)·BlockSize - 1</c>),
    /// which removes whole groups of those convolutions.
    /// </summary>
    public int BlockSize { get; }

    /// <summary>Finds the groups that structural pruning may remove units from.</summary>
    /// <param name="network">The network.</param>
    /// <param name="options">
    /// Which layers: <see cref="StructuredPruningOptions.Layers"/> selects groups by the name of any of their producers;
    /// with <see cref="StructuredPruningOptions.IncludeFirstLayer"/> off, the group of the network's first Dense or
    /// Conv2d layer is left out. The other options do not matter here. The default is every group.
    /// </param>
    /// <returns>The groups, ordered by their first producer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <see cref="StructuredPruningOptions.Layers"/> names a layer that does not exist, that is not a Dense or Conv2d, or
    /// that cannot be pruned; the message names the layer and says why.
    /// </exception>
    public static IReadOnlyList<PruningGroup> Find(Network network, StructuredPruningOptions? options = null) => Structure.PruningGroups.Find(network, options);

    /// <summary>Finds the coupled units that structural pruning cannot remove, each with the reason.</summary>
    /// <param name="network">The network.</param>
    /// <returns>The skipped groups, ordered by their first producer: the output layer, units joined to the network's
    /// input, units that reach a layer structural pruning does not see through (channel shuffle, Softmax, unknown layers),
    /// and units that a channel slice cuts through.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<SkippedGroup> FindSkipped(Network network) => Structure.PruningGroups.FindSkipped(network);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({UnitCount} {(Kind == UnitKind.Neuron ? "neurons" : "filters")})";
}
