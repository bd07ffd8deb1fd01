using Microsoft.ML.Pruning.Data;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>Holds out a share of the training rows as the validation data that training and the accuracy budget are measured on.</summary>
internal static class ValidationSplit
{
    /// <summary>The share of the training rows held out.</summary>
    public const double Fraction = 0.1;

    /// <summary>Shuffles with <paramref name="seed"/> and holds out <see cref="Fraction"/> of the rows (at least one; at least one left to train on).</summary>
    public static (Dataset Training, Dataset Validation) HoldOut(Dataset data, int seed)
    {
        if (data.Count < 2)
        {
            throw new UserException($"--data: {data.Count} training row; at least 2 are needed to hold out validation data.");
        }

        var shuffled = data.Shuffle(seed);
        int held = Math.Clamp((int)Math.Round(data.Count * Fraction), 1, data.Count - 1);
        return (shuffled.Slice(held, data.Count - held), shuffled.Slice(0, held));
    }
}
