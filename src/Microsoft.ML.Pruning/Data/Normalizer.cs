using System.Numerics;

namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// Per-feature normalization statistics fitted on one data set, which can be applied to any data set with the same
/// number of features: each value x of feature f becomes (x − Offsets[f]) × Scales[f].
/// </summary>
/// <remarks>
/// Fit on the training set and apply the same normalizer to the validation and test sets, so that no statistic
/// leaks from them. Statistics are accumulated in double precision.
/// </remarks>
public sealed partial class Normalizer
{
    private readonly float[] _offsets;
    private readonly float[] _scales;

    private Normalizer(NormalizationKind kind, float[] offsets, float[] scales)
    {
        Kind = kind;
        _offsets = offsets;
        _scales = scales;
        Offsets = Array.AsReadOnly(offsets);
        Scales = Array.AsReadOnly(scales);
    }

    /// <summary>Gets the kind of normalization that was fitted.</summary>
    public NormalizationKind Kind { get; }

    /// <summary>Gets the number of features the statistics cover.</summary>
    public int FeatureCount => _offsets.Length;

    /// <summary>Gets the value subtracted from each feature: its mean (<see cref="NormalizationKind.Standardize"/>) or minimum (<see cref="NormalizationKind.MinMax"/>).</summary>
    public IReadOnlyList<float> Offsets { get; }

    /// <summary>
    /// Gets the factor applied to each centred feature: 1 / standard deviation or 1 / (max − min), or 1 for a constant feature.
    /// </summary>
    public IReadOnlyList<float> Scales { get; }

    /// <summary>Computes the statistics of every feature of <paramref name="data"/>.</summary>
    /// <param name="data">The data set to fit on, usually the training set; it must hold at least one sample.</param>
    /// <param name="kind">The normalization to fit.</param>
    /// <returns>The fitted normalizer.</returns>
    public static Normalizer Fit(Dataset data, NormalizationKind kind)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "kind must be Standardize or MinMax.");
        }

        if (data.Count == 0)
        {
            throw new ArgumentException("Cannot fit normalization statistics on a data set with no samples.", nameof(data));
        }

        return kind == NormalizationKind.Standardize ? FitStandardize(data) : FitMinMax(data);
    }

    /// <summary>Returns a normalized copy of <paramref name="data"/>.</summary>
    /// <param name="data">The data set; its <see cref="Dataset.FeatureCount"/> must equal <see cref="FeatureCount"/>.</param>
    /// <returns>A data set with the same shape, labels and classes and normalized features.</returns>
    public Dataset Apply(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckFeatureCount(data.FeatureCount, nameof(data));
        var features = data.Features.Clone();
        Span<float> values = features.Span;
        for (int row = 0; row < data.Count; row++)
        {
            ApplyInPlace(values.Slice(row * FeatureCount, FeatureCount));
        }

        return new Dataset(features, (int[])data.Labels.Clone(), data.ClassCount, data.ClassNames);
    }

    /// <summary>Normalizes the features of one sample in place, for example before scoring it.</summary>
    /// <param name="sample">The <see cref="FeatureCount"/> values of one sample.</param>
    public void Apply(Span<float> sample)
    {
        CheckFeatureCount(sample.Length, nameof(sample));
        ApplyInPlace(sample);
    }

    private void ApplyInPlace(Span<float> sample)
    {
        int f = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; f <= sample.Length - Vector<float>.Count; f += Vector<float>.Count)
            {
                Span<float> part = sample.Slice(f, Vector<float>.Count);
                ((new Vector<float>(part) - new Vector<float>(_offsets, f)) * new Vector<float>(_scales, f)).CopyTo(part);
            }
        }

        for (; f < sample.Length; f++)
        {
            sample[f] = (sample[f] - _offsets[f]) * _scales[f];
        }
    }

    private void CheckFeatureCount(int count, string parameterName)
    {
        if (count != FeatureCount)
        {
            throw new ArgumentException($"The normalizer was fitted on {FeatureCount} features but was given {count}.", parameterName);
        }
    }

    private static Normalizer FitStandardize(Dataset data)
    {
        int width = data.FeatureCount;
        ReadOnlySpan<float> values = data.Features.Span;
        var sum = new double[width];
        for (int row = 0; row < data.Count; row++)
        {
            ReadOnlySpan<float> sample = values.Slice(row * width, width);
            for (int f = 0; f < width; f++)
            {
                sum[f] += sample[f];
            }
        }

        var mean = new double[width];
        for (int f = 0; f < width; f++)
        {
            mean[f] = sum[f] / data.Count;
        }

        // Second pass over the deviations: exact zero for a constant feature, and no cancellation.
        var squares = new double[width];
        for (int row = 0; row < data.Count; row++)
        {
            ReadOnlySpan<float> sample = values.Slice(row * width, width);
            for (int f = 0; f < width; f++)
            {
                double d = sample[f] - mean[f];
                squares[f] += d * d;
            }
        }

        var offsets = new float[width];
        var scales = new float[width];
        for (int f = 0; f < width; f++)
        {
            double std = Math.Sqrt(squares[f] / data.Count);
            offsets[f] = (float)mean[f];
            scales[f] = std > 0 ? (float)(1 / std) : 1f;
        }

        return new Normalizer(NormalizationKind.Standardize, offsets, scales);
    }

    private static Normalizer FitMinMax(Dataset data)
    {
        int width = data.FeatureCount;
        ReadOnlySpan<float> values = data.Features.Span;
        float[] min = values[..width].ToArray();
        float[] max = values[..width].ToArray();
        for (int row = 1; row < data.Count; row++)
        {
            ReadOnlySpan<float> sample = values.Slice(row * width, width);
            for (int f = 0; f < width; f++)
            {
                min[f] = Math.Min(min[f], sample[f]);
                max[f] = Math.Max(max[f], sample[f]);
            }
        }

        var scales = new float[width];
        for (int f = 0; f < width; f++)
        {
            double range = (double)max[f] - min[f];
            scales[f] = range > 0 ? (float)(1 / range) : 1f;
        }

        return new Normalizer(NormalizationKind.MinMax, min, scales);
    }
}
