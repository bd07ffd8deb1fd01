using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Schedules;

namespace Microsoft.ML.Pruning;

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
    public abstract int Apply(Network network, double rate, IBatchSource? calibration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts what <see cref="Apply"/> could still remove from <paramref name="network"/>: its prunable units, or its
    /// unmasked prunable weights. Schedules that aim at a cumulative sparsity (<see cref="Schedules.PruningSchedules.Polynomial"/>) read it
    /// through <see cref="PruningScheduleContext.RemainingFraction"/> to plan each step from what remains.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <returns>The count, or <see langword="null"/> when the method cannot tell (the default).</returns>
    public virtual long? CountPrunable(Network network) => null;

    /// <summary>
    /// Scores <paramref name="network"/> once and returns a plan that prunes copies of it at any rate with those scores,
    /// so that a step that tries several rates (probes, then the step itself) scores the model once. The default plan
    /// calls <see cref="Apply"/> on each copy.
    /// </summary>
    /// <param name="network">The network the copies are clones of; it is not modified.</param>
    /// <param name="calibration">Data for criteria that read activations or gradients.</param>
    /// <param name="cancellationToken">Cancels the scoring.</param>
    /// <returns>The plan.</returns>
    internal virtual PruningPlan Prepare(Network network, IBatchSource? calibration, CancellationToken cancellationToken) =>
        new((copy, rate, token) => Apply(copy, rate, calibration, token), []);
}
