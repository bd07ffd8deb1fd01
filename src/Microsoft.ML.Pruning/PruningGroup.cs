using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning;

/// <summary>
/// A set of output units that can only be removed together, with everything coupled to them: the layers that produce
/// the units (one for a plain layer, several for the branches of a residual <see cref="Add"/>), and, implicitly, the
/// BatchNorm channels, pass-through layers and consumer inputs that follow.
/// </summary>
/// <remarks>
/// Unit <c>i</c> of a group is output channel <c>i</c> (axis 1) of every producer and of <see cref="ActivationNode"/>.
/// Groups are found by <c>PruningGroups.Find</c>.
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

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({UnitCount} {(Kind == UnitKind.Neuron ? "neurons" : "filters")})";
}
