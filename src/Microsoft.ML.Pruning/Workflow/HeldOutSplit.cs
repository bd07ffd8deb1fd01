using Microsoft.ML.Pruning.Data;

namespace Microsoft.ML.Pruning.Workflow;

/// <summary>
/// The rows every stage of a run holds out to measure accuracy: the first <see cref="Fraction"/> of the rows shuffled
/// with <see cref="Seed"/> (at least one row; at least one left to train on). The model stage fixes it and the run's
/// later stages reuse it, so that their accuracies, and the run's budget, are measured on the same rows.
/// </summary>
/// <param name="Seed">The seed of the shuffle.</param>
/// <param name="Fraction">The share of the rows held out, in (0, 0.5].</param>
internal sealed record HeldOutSplit(int Seed, double Fraction)
{
    /// <summary>Splits the rows into those a stage trains on and those it measures on.</summary>
    /// <exception cref="ArgumentException">There are fewer than two rows.</exception>
    public (Dataset Training, Dataset Validation) Apply(Dataset data)
    {
        if (data.Count < 2)
        {
            throw new ArgumentException($"The data has {data.Count} labelled row{(data.Count == 1 ? "" : "s")}; a stage needs at least 2 (some are held out to measure accuracy).", nameof(data));
        }

        var shuffled = data.Shuffle(Seed);
        int held = Math.Clamp((int)Math.Round(data.Count * Fraction), 1, data.Count - 1);
        return (shuffled.Slice(held, data.Count - held), shuffled.Slice(0, held));
    }
}
