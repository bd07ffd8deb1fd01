using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// Generates the waveform data of Breiman et al. (1984): three classes of noisy random convex combinations of
/// triangular waves, 21 attributes, or 40 with 19 attributes of pure noise.
/// </summary>
/// <remarks>
/// <para>
/// Definition (Breiman, Friedman, Olshen and Stone, <i>Classification and Regression Trees</i>, Wadsworth 1984,
/// pp. 49–55; restated in Hastie, Tibshirani and Friedman, <i>The Elements of Statistical Learning</i>,
/// 2nd ed., section 12.7): on the attributes i = 1..21 the base waves are h1(i) = max(6 − |i − 11|, 0),
/// h2(i) = h1(i − 4) and h3(i) = h1(i + 4), peaking at i = 11, 15 and 7. A sample draws its class uniformly, u from
/// U(0, 1) and independent noise ε_i from N(0, 1); then x_i = u·h1(i) + (1 − u)·h2(i) + ε_i for class 0,
/// u·h1(i) + (1 − u)·h3(i) + ε_i for class 1 and u·h2(i) + (1 − u)·h3(i) + ε_i for class 2. The 40-attribute
/// version (UCI "Waveform Database Generator (Version 2)") appends 19 attributes drawn from N(0, 1). The UCI
/// documentation gives the Bayes-optimal accuracy as 86%.
/// </para>
/// <para>
/// David Aha's C generator behind the UCI data sets (also in R's <c>mlbench.waveform</c>) numbers the waves
/// differently, so its classes 0, 1 and 2 are this class's 2, 1 and 0; the distributions are otherwise the same.
/// </para>
/// <para>
/// Draws come from <see cref="Random"/> seeded with the seed, in this order per sample: the class, u, the 21 noise
/// terms, then the 19 noise attributes; Gaussian numbers come from the Box-Muller transform.
/// </para>
/// </remarks>
public static class WaveformGenerator
{
    /// <summary>The number of attributes of the basic problem.</summary>
    public const int AttributeCount = 21;

    /// <summary>The number of attributes with the 19 noise attributes appended.</summary>
    public const int AttributeCountWithNoise = 40;

    /// <summary>The number of classes.</summary>
    public const int ClassCount = 3;

    /// <summary>Generates <paramref name="count"/> samples.</summary>
    /// <param name="count">The number of samples; at least 1.</param>
    /// <param name="seed">The seed; the same seed gives the same data.</param>
    /// <param name="withNoiseAttributes">Whether to append the 19 pure-noise attributes (40 in all).</param>
    /// <returns>A data set with features [count, 21] or [count, 40] and 3 classes.</returns>
    public static Dataset Generate(int count, int seed, bool withNoiseAttributes = false)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1.");
        }

        int width = withNoiseAttributes ? AttributeCountWithNoise : AttributeCount;
        var features = new FloatTensor(count, width);
        var labels = new int[count];
        var random = new Random(seed);
        var gaussian = new GaussianSampler(random);
        Span<float> values = features.Span;
        for (int n = 0; n < count; n++)
        {
            int label = random.Next(ClassCount);
            (int first, int second) = label switch
            {
                0 => (1, 2),
                1 => (1, 3),
                _ => (2, 3),
            };

            double u = random.NextDouble();
            Span<float> row = values.Slice(n * width, width);
            for (int i = 1; i <= AttributeCount; i++)
            {
                row[i - 1] = (float)((u * BaseWave(first, i)) + ((1 - u) * BaseWave(second, i)) + gaussian.Next());
            }

            for (int i = AttributeCount; i < width; i++)
            {
                row[i] = (float)gaussian.Next();
            }

            labels[n] = label;
        }

        return new Dataset(features, labels, ClassCount);
    }

    /// <summary>Evaluates a base wave.</summary>
    /// <param name="wave">The wave, 1, 2 or 3.</param>
    /// <param name="attribute">The attribute, 1 to 21.</param>
    /// <returns>h_wave(attribute).</returns>
    internal static double BaseWave(int wave, int attribute)
    {
        int center = wave switch
        {
            1 => 11,
            2 => 15,
            _ => 7,
        };

        return Math.Max(6 - Math.Abs(attribute - center), 0);
    }
}
