using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// Draws the calibration sample that data-driven criteria (APoZ, Taylor, distinctiveness) score on: a seeded random
/// subset of the training data, the same one <see cref="Loop.Pruner.Run"/> draws for <see cref="Loop.PrunerOptions.CalibrationSamples"/>.
/// </summary>
internal static class CalibrationSampler
{
    /// <summary>The sample size the pruning loop uses by default (<see cref="Loop.PrunerOptions.CalibrationSamples"/>).</summary>
    public const int DefaultCount = 2048;

    /// <summary>Draws <paramref name="count"/> distinct samples of <paramref name="data"/> by a shuffle seeded with <paramref name="seed"/>.</summary>
    /// <param name="data">The data to draw from, usually the training set.</param>
    /// <param name="count">The number of samples; at least 1. When it is not smaller than <paramref name="data"/>'s count, every sample is returned in order.</param>
    /// <param name="seed">The seed of the shuffle; the same seed gives the same sample.</param>
    /// <returns>The sample (values are copied unless every sample is returned, when it is <paramref name="data"/> itself).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public static Dataset Draw(Dataset data, int count = DefaultCount, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (count >= data.Count)
        {
            return data;
        }

        var order = Enumerable.Range(0, data.Count).ToArray();
        new Random(seed).Shuffle(order);
        return data.Select(order.AsSpan(0, count));
    }

    /// <summary>
    /// Draws <paramref name="count"/> distinct samples of any batch source: the first <paramref name="count"/> rows of
    /// its pass shuffled with <paramref name="seed"/> (<see cref="BatchOrder.Shuffled"/>, epoch 0), copied into memory.
    /// For a <see cref="Dataset"/> this is the sample of <see cref="Draw(Dataset, int, int)"/>.
    /// </summary>
    /// <param name="data">The data to draw from, usually the training set.</param>
    /// <param name="count">The number of samples; at least 1. When the source has no more rows, every row is returned (a <see cref="Dataset"/> itself, other sources in order).</param>
    /// <param name="seed">The seed of the shuffle; the same seed gives the same sample.</param>
    /// <returns>The sample.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public static IBatchSource Draw(IBatchSource data, int count = DefaultCount, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (data is Dataset dataset)
        {
            return Draw(dataset, count, seed);
        }

        bool all = data.RowCount is { } rows && rows <= count;
        var features = new FloatTensor([count, .. data.SampleShape]);
        var labels = new int[count];
        var part = new FloatTensor([Math.Min(count, 256), .. data.SampleShape]);
        var partLabels = new int[part.Dim(0)];
        int filled = 0, sampleLength = FloatTensor.ComputeLength([.. data.SampleShape]);
        using (var reader = data.OpenReader(all ? BatchOrder.Sequential : BatchOrder.Shuffled(seed, 0)))
        {
            int read;
            while (filled < count && (read = reader.Read(part, partLabels.AsSpan(0, Math.Min(partLabels.Length, count - filled)))) > 0)
            {
                part.Span.CopyTo(features.Span.Slice(filled * sampleLength));
                partLabels.AsSpan(0, read).CopyTo(labels.AsSpan(filled));
                filled += read;
            }
        }

        features.Resize([filled, .. data.SampleShape]);
        return new Dataset(features, labels[..filled], data.ClassCount);
    }
}
