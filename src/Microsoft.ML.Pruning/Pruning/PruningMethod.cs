using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Pruning;

/// <summary>
/// What one pruning step does to a network at a given rate: remove units structurally
/// (<c>StructuredPruning</c>) or mask single weights (<c>UnstructuredMagnitudePruning</c>).
/// </summary>
public abstract class PruningMethod
{
    /// <summary>Gets the method's name, as reports show it (for example <c>APoZ, structured</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Gets whether <see cref="Apply"/> needs calibration data.</summary>
    public abstract bool RequiresData { get; }

    /// <summary>Prunes <paramref name="network"/> in place.</summary>
    /// <param name="network">The network; structural methods change its layers' shapes.</param>
    /// <param name="rate">The fraction of the remaining prunable units (or nonzero weights) to remove, in (0, 1).</param>
    /// <param name="calibration">Data for criteria that read activations or gradients.</param>
    /// <param name="cancellationToken">Cancels the step before the network is changed.</param>
    /// <returns>The number of units (or weights) removed.</returns>
    public abstract int Apply(Network network, double rate, Dataset? calibration, CancellationToken cancellationToken = default);
}
