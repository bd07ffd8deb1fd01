namespace Microsoft.ML.Pruning;

/// <summary>The outcome of one prune-and-fine-tune step, as a schedule sees it.</summary>
/// <param name="Step">The step's index, from 0.</param>
/// <param name="Rate">The rate the step pruned at: the fraction of the remaining prunable units (or weights) it removed.</param>
/// <param name="Accuracy">The validation accuracy after fine-tuning, in [0, 1].</param>
/// <param name="Accepted">Whether the step stayed within the accuracy budget (a rejected step is rolled back).</param>
public sealed record PruningScheduleStep(int Step, double Rate, double Accuracy, bool Accepted);
