using System.Globalization;

namespace Microsoft.ML.Pruning.Data;

/// <content>The data set as an <see cref="IBatchSource"/>: passes in order or shuffled, subsets by row number, and the finiteness check of its features.</content>
public sealed partial class Dataset : IBatchSource
{
    private readonly Lock _shuffleLock = new();
    private EpochShuffle? _lastShuffle;
    private FinitenessScan? _finiteness;

    /// <inheritdoc/>
    IReadOnlyList<int> IBatchSource.SampleShape => _sampleShape;

    /// <inheritdoc/>
    long? IBatchSource.RowCount => Count;

    /// <inheritdoc/>
    IBatchReader IBatchSource.OpenReader(BatchOrder order) => new DatasetReader(this, order.IsShuffled ? ShuffledOrder(order.Seed, order.Epoch) : null);

    /// <inheritdoc/>
    /// <remarks>The selected rows are copied into a new data set.</remarks>
    IBatchSource IBatchSource.Where(Func<long, bool> rowFilter)
    {
        ArgumentNullException.ThrowIfNull(rowFilter);
        var kept = new List<int>();
        for (int row = 0; row < Count; row++)
        {
            if (rowFilter(row))
            {
                kept.Add(row);
            }
        }

        return Select(kept.ToArray());
    }

    /// <summary>
    /// Returns the row order of a shuffled epoch: the permutation of 0..<see cref="Count"/>-1 left by
    /// <paramref name="epoch"/> + 1 successive <see cref="Random.Shuffle{T}(T[])"/> calls of one <see cref="Random"/>
    /// seeded with <paramref name="seed"/>. The last order drawn is kept, so that consecutive epochs cost one shuffle each.
    /// </summary>
    /// <param name="seed">The seed.</param>
    /// <param name="epoch">The zero-based epoch.</param>
    /// <returns>A new array that the caller owns.</returns>
    internal int[] ShuffledOrder(int seed, int epoch)
    {
        lock (_shuffleLock)
        {
            if (_lastShuffle is not { } last || last.Seed != seed || last.Epoch > epoch)
            {
                last = new EpochShuffle(seed, -1, Enumerable.Range(0, Count).ToArray(), new Random(seed));
            }

            while (last.Epoch < epoch)
            {
                last.Random.Shuffle(last.Order);
                last = last with { Epoch = last.Epoch + 1 };
            }

            _lastShuffle = last;
            return (int[])last.Order.Clone();
        }
    }

    /// <summary>Throws when a feature value is NaN or infinite, naming the first such row and feature. The data are scanned once.</summary>
    /// <param name="name">What the data are to the caller (for example <c>training</c>), for the message and the exception's ParamName.</param>
    /// <exception cref="ArgumentException">A feature value is not finite.</exception>
    internal void EnsureFinite(string name)
    {
        // One reference, written once: threads that scan at the same time agree, and a reader never sees half a result.
        _finiteness ??= new FinitenessScan(FindNonFinite());
        if (_finiteness.First is { } bad)
        {
            string value = FiniteValues.Describe(bad.Value);
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Row {bad.Row} of the {name} data has a non-finite feature: feature {bad.Feature} (of {FeatureCount}) is {value}. Remove or impute such rows before training, evaluating or pruning."), name);
        }
    }

    private NonFiniteFeature? FindNonFinite()
    {
        int index = FiniteValues.IndexOfNonFinite(Features.Span);
        return index < 0 ? null : new NonFiniteFeature(index / FeatureCount, index % FeatureCount, Features.Span[index]);
    }

    private readonly record struct NonFiniteFeature(int Row, int Feature, float Value);

    private sealed record FinitenessScan(NonFiniteFeature? First);

    private sealed record EpochShuffle(int Seed, int Epoch, int[] Order, Random Random);
}
