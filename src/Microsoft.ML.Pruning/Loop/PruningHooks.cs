using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Loop;

/// <summary>
/// How a pruning run evaluates and fine-tunes a model. <see cref="Pruner"/> builds these from the data and the
/// options; tests substitute scripted ones to drive the loop along a known accuracy curve.
/// </summary>
/// <param name="Evaluate">Evaluates a model on the validation data (without changing its parameters).</param>
/// <param name="FineTune">
/// Retrains a model in place, reporting epochs to the given progress; <see langword="null"/> for no fine-tuning. It
/// throws <see cref="OperationCanceledException"/> when the token stops it.
/// </param>
internal sealed record PruningHooks(
    Func<Network, CancellationToken, EvaluationResult> Evaluate,
    Action<Network, IProgress<TrainingProgress>?, CancellationToken>? FineTune);
