using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Loop;

/// <summary>
/// The scores of one model, ready to prune clones of it at any rate: what <see cref="PruningMethod.Prepare"/> returns,
/// with what the scoring found worth reporting.
/// </summary>
/// <param name="Apply">Prunes a clone of the scored model in place at a rate and returns the number of units (or weights) removed.</param>
/// <param name="Warnings">What the scoring found worth reporting, such as a group whose units all scored the same.</param>
internal sealed record PruningPlan(Func<Network, double, CancellationToken, int> Apply, IReadOnlyList<string> Warnings);
