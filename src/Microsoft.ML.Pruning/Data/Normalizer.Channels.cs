namespace Microsoft.ML.Pruning.Data;

/// <summary>Per-channel fitting: one offset and one scale per channel, shared by all of its positions (as image normalization usually is).</summary>
public sealed partial class Normalizer
{
    /// <summary>
    /// Computes one statistic per channel (the first dimension of <see cref="Dataset.SampleShape"/>) over every position
    /// of that channel in every sample, and repeats it for each of the channel's features. Images of shape
    /// [channels, height, width] get one mean and deviation per colour channel; a vector of features is its own channels,
    /// so this equals <see cref="Fit"/>. Unlike per-feature statistics, per-channel ones can be carried by a BatchNorm in
    /// front of a convolution (as <see cref="Workflow.PretrainedStage.InputNormalization"/> does).
    /// </summary>
    /// <param name="data">The data set to fit on, usually the training set; it must hold at least one sample.</param>
    /// <param name="kind">The normalization to fit.</param>
    /// <returns>The fitted normalizer; its <see cref="Offsets"/> and <see cref="Scales"/> are constant within each channel.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not defined.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> holds no sample.</exception>
    public static Normalizer FitPerChannel(Dataset data, NormalizationKind kind)
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

        int channels = data.SampleShape[0], width = data.FeatureCount, spatial = width / channels;
        ReadOnlySpan<float> values = data.Features.Span;
        var offset = new double[channels];
        var scale = new double[channels];
        double count = (double)data.Count * spatial;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (int row = 0; row < data.Count; row++)
            {
                foreach (float v in values.Slice((row * width) + (c * spatial), spatial))
                {
                    sum += v;
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
            }

            if (kind == NormalizationKind.MinMax)
            {
                offset[c] = min;
                scale[c] = max > min ? 1 / (max - min) : 1;
                continue;
            }

            double mean = sum / count, squares = 0;
            for (int row = 0; row < data.Count; row++)
            {
                foreach (float v in values.Slice((row * width) + (c * spatial), spatial))
                {
                    squares += (v - mean) * (v - mean);
                }
            }

            double std = Math.Sqrt(squares / count);
            offset[c] = mean;
            scale[c] = std > 0 ? 1 / std : 1;
        }

        var offsets = new float[width];
        var scales = new float[width];
        for (int f = 0; f < width; f++)
        {
            offsets[f] = (float)offset[f / spatial];
            scales[f] = (float)scale[f / spatial];
        }

        return new Normalizer(kind, offsets, scales);
    }

    /// <summary>Gets whether the statistics are constant within each channel of a sample of <paramref name="sampleShape"/>, so that one value per channel carries them.</summary>
    internal bool IsPerChannel(int[] sampleShape, out float[] channelOffsets, out float[] channelScales)
    {
        int channels = sampleShape[0], spatial = FeatureCount / Math.Max(channels, 1);
        channelOffsets = new float[channels];
        channelScales = new float[channels];
        if (channels * spatial != FeatureCount)
        {
            return false;
        }

        for (int c = 0; c < channels; c++)
        {
            channelOffsets[c] = _offsets[c * spatial];
            channelScales[c] = _scales[c * spatial];
            for (int i = 1; i < spatial; i++)
            {
                if (_offsets[(c * spatial) + i] != channelOffsets[c] || _scales[(c * spatial) + i] != channelScales[c])
                {
                    return false;
                }
            }
        }

        return true;
    }
}
