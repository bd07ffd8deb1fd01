using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Pruning;

namespace Microsoft.ML.Pruning;

/// <summary>What one <c>Fit</c> call passes down a chain of stages.</summary>
/// <param name="Training">The training data.</param>
/// <param name="Validation">Explicit validation data, or <see langword="null"/> to hold out a share of the training data.</param>
/// <param name="Progress">Receives progress.</param>
/// <param name="CancellationToken">Stops the fit.</param>
internal sealed record FitContext(Dataset Training, Dataset? Validation, IProgress<PruningProgress>? Progress, CancellationToken CancellationToken)
{
    /// <summary>Splits off validation data when none was given.</summary>
    /// <param name="fraction">The share of the training data to hold out.</param>
    /// <param name="seed">The shuffle seed.</param>
    /// <returns>The training and validation sets.</returns>
    public (Dataset Training, Dataset Validation) Resolve(double fraction, int seed)
    {
        if (Validation is not null)
        {
            return (Training, Validation);
        }

        if (Training.Count < 2)
        {
            throw new ArgumentException($"The data set has {Training.Count} row; at least 2 are needed to hold out validation data.", "data");
        }

        var shuffled = Training.Shuffle(seed);
        int held = Math.Clamp((int)Math.Round(Training.Count * fraction), 1, Training.Count - 1);
        return (shuffled.Slice(held, Training.Count - held), shuffled.Slice(0, held));
    }
}
