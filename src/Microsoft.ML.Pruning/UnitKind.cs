namespace Microsoft.ML.Pruning;

/// <summary>What one prunable unit of a <see cref="PruningGroup"/> is.</summary>
public enum UnitKind
{
    /// <summary>An output neuron of a <see cref="Networks.Dense"/> layer (a row of its weight).</summary>
    Neuron,

    /// <summary>An output channel (filter) of a <see cref="Networks.Conv2d"/> layer.</summary>
    Filter,
}
