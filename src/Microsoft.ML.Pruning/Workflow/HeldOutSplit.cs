using Microsoft.ML.Pruning.Data;

namespace Microsoft.ML.Pruning.Workflow;

/// <summary>
/// The rows every stage of a run holds out to measure accuracy. The model stage fixes it and the run's later stages
/// reuse it, so that their accuracies, and the run's budget, are measured on the same rows. In memory (a
/// <see cref="Dataset"/>) they are the first <see cref="Fraction"/> of the rows shuffled with <see cref="Seed"/> (at
/// least one row; at least one left to train on); for streamed data, which are never held whole, they are the rows whose
/// number, mixed with the seed, falls in <see cref="Fraction"/> of the hash range (a seeded share of about
/// <see cref="Fraction"/>, chosen without reading the rows). Either way the two parts are disjoint and the same at every
/// stage.
/// </summary>
/// <param name="Seed">The seed of the shuffle or the hash.</param>
/// <param name="Fraction">The share of the rows held out, in (0, 0.5].</param>
internal sealed record HeldOutSplit(int Seed, double Fraction)
{
    // Keeps the held-out hash apart from the selection split's, which may use the same seed.
    private const int HeldOutSalt = 0x4E1D0;

    /// <summary>Splits the rows into those a stage trains on and those it measures on.</summary>
    /// <exception cref="ArgumentException">There are fewer than two rows, or (streamed data) the hash leaves one part empty.</exception>
    public (IBatchSource Training, IBatchSource Validation) Apply(IBatchSource data)
    {
        long count = data.RowCount ?? 2;
        if (count < 2)
        {
            throw new ArgumentException($"The data has {count} labelled row{(count == 1 ? "" : "s")}; a stage needs at least 2 (some are held out to measure accuracy).", nameof(data));
        }

        if (data is Dataset dataset)
        {
            // The rows of Shuffle(Seed), split at `held`, copied once (not shuffled whole, then sliced).
            var order = Dataset.Permutation(dataset.Count, Seed);
            int held = Math.Clamp((int)Math.Round(dataset.Count * Fraction), 1, dataset.Count - 1);
            return (dataset.Select(order.AsSpan(held)), dataset.Select(order.AsSpan(0, held)));
        }

        ulong salt = (ulong)(uint)(Seed ^ HeldOutSalt);
        double fraction = Fraction;
        var validation = data.Where(row => RowHash.Selects(salt, row, fraction));
        var training = data.Where(row => !RowHash.Selects(salt, row, fraction));
        if (validation.RowCount == 0 || training.RowCount == 0)
        {
            throw new ArgumentException($"Holding out {Fraction:P0} of the {count} streamed rows by their seeded hash left {(validation.RowCount == 0 ? "none to measure on" : "none to train on")}; use more rows, or read them into memory.", nameof(data));
        }

        return (training, validation);
    }
}
