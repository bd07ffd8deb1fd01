using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Training;

/// <summary>This library's managed engine as a <see cref="ITrainingBackend"/>: it trains the network in place on the CPU.</summary>
internal sealed class ManagedTrainingBackend : ITrainingBackend
{
    /// <summary>Gets the one instance.</summary>
    public static ManagedTrainingBackend Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => "managed";

    /// <inheritdoc/>
    public ITrainingSession Bind(Network network, TrainingSetup setup)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(setup);
        return new ManagedTrainingSession(network, setup);
    }
}
