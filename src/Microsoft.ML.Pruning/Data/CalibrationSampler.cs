namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// Draws the calibration sample that data-driven criteria (APoZ, Taylor, distinctiveness) score on: a seeded random
/// subset of the training data, the same one <see cref="Loop.Pruner.Run"/> draws for <see cref="Loop.PrunerOptions.CalibrationSamples"/>.
/// </summary>
public static class CalibrationSampler
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
}
