namespace Microsoft.ML.Pruning.Networks;

/// <summary>A copy of every parameter and buffer of a network, to restore it later (best-epoch keeping, rollback).</summary>
internal sealed class NetworkCheckpoint
{
    private readonly float[][] _values;

    private NetworkCheckpoint(float[][] values)
    {
        _values = values;
    }

    /// <summary>Copies the current state of <paramref name="network"/>.</summary>
    /// <param name="network">The network.</param>
    /// <returns>The checkpoint.</returns>
    public static NetworkCheckpoint Capture(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new NetworkCheckpoint(network.State.Select(p => p.Value.Span.ToArray()).ToArray());
    }

    /// <summary>Writes the checkpoint back into <paramref name="network"/>, which must have the same architecture.</summary>
    /// <param name="network">The network.</param>
    /// <exception cref="InvalidOperationException">The network's parameters no longer match the checkpoint.</exception>
    public void Restore(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var state = network.State.ToArray();
        if (state.Length != _values.Length || state.Where((p, i) => p.Length != _values[i].Length).Any())
        {
            throw new InvalidOperationException("The network's architecture changed since the checkpoint was taken.");
        }

        for (int i = 0; i < state.Length; i++)
        {
            _values[i].CopyTo(state[i].Value.Span);
            state[i].ApplyMask();
        }
    }
}
