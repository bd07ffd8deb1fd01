using System.Globalization;

namespace Microsoft.ML.Pruning.Data;

/// <summary>The order in which a pass over an <see cref="IBatchSource"/> gives its rows: sequential, or shuffled from a seed and an epoch.</summary>
/// <remarks>
/// The shuffle is the source's to decide; the same seed and epoch always give the same order. <see cref="Dataset"/>
/// draws, for epoch e, the permutation left by e + 1 successive <see cref="Random.Shuffle{T}(T[])"/> calls of one
/// <see cref="Random"/> seeded with the seed on the row numbers 0..N-1, which is the order the trainer has always used.
/// </remarks>
public readonly record struct BatchOrder
{
    private BatchOrder(bool shuffled, int seed, int epoch)
    {
        IsShuffled = shuffled;
        Seed = seed;
        Epoch = epoch;
    }

    /// <summary>Gets the source's own order, row 0 first.</summary>
    public static BatchOrder Sequential => default;

    /// <summary>Gets whether the rows are shuffled.</summary>
    public bool IsShuffled { get; }

    /// <summary>Gets the seed of the shuffle (0 for <see cref="Sequential"/>).</summary>
    public int Seed { get; }

    /// <summary>Gets the zero-based epoch that the shuffle is for (0 for <see cref="Sequential"/>).</summary>
    public int Epoch { get; }

    /// <summary>Returns the shuffled order of an epoch.</summary>
    /// <param name="seed">The seed; the same seed and epoch give the same order.</param>
    /// <param name="epoch">The zero-based epoch, at least 0.</param>
    /// <returns>The order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public static BatchOrder Shuffled(int seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return new BatchOrder(true, seed, epoch);
    }

    /// <inheritdoc/>
    public override string ToString() => IsShuffled
        ? string.Create(CultureInfo.InvariantCulture, $"shuffled (seed {Seed}, epoch {Epoch})")
        : "sequential";
}
