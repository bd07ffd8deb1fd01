namespace Microsoft.ML.Pruning.Loop;

/// <summary>A progress report of a pruning run.</summary>
/// <param name="Step">The index of the step under way, from 0 (0 during the baseline).</param>
/// <param name="Phase">What the run is doing.</param>
/// <param name="Rate">The rate being pruned or probed at, or <see langword="null"/> when none applies.</param>
/// <param name="Accuracy">The accuracy just measured, in [0, 1], or <see langword="null"/> when none was.</param>
/// <param name="Message">A one-line description for logs.</param>
public sealed record PruningProgress(int Step, PruningPhase Phase, double? Rate, double? Accuracy, string Message);
