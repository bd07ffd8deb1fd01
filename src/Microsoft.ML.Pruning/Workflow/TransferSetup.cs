using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;

namespace Microsoft.ML.Pruning.Workflow;

/// <summary>
/// What a model stage sets up for every later stage of its run: the input normalisation folded into the network (which
/// training unfolds, so that the first convolution trains at its own scale), the new head's layers, and the layers that
/// stay frozen (never trained, and not pruned unless a pruning stage says so).
/// </summary>
/// <param name="Normalization">The normalisation folded into the network, or <see langword="null"/>.</param>
/// <param name="HeadLayers">The new head's layer names (empty without one).</param>
/// <param name="FrozenLayers">The layers frozen for the whole run.</param>
internal sealed record TransferSetup(ChannelAffine? Normalization, IReadOnlyList<string> HeadLayers, IReadOnlyList<string> FrozenLayers)
{
    /// <summary>No normalisation, head or frozen layers.</summary>
    public static TransferSetup None { get; } = new(null, [], []);

    /// <summary>Returns the network in the form training works on: the normalisation as fixed layers in front of the unfolded network.</summary>
    /// <param name="network">The run's network (folded).</param>
    /// <returns>A copy to train.</returns>
    public Network ForTraining(Network network) =>
        Normalization is null ? NetworkSerializer.Clone(network) : Normalization.Prepend(Normalization.Unfold(network));

    /// <summary>Returns the network in the form the run keeps: the normalisation folded in.</summary>
    /// <param name="network">A network in the training form.</param>
    /// <returns>The folded network (the argument itself when there is no normalisation).</returns>
    public Network Folded(Network network) =>
        Normalization is null ? network : Normalization.Fold(ChannelAffine.RemovePrepended(network));
}
