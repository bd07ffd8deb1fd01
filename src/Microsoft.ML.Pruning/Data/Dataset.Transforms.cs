using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Data;

/// <content>The operations that derive a new data set from this one.</content>
public sealed partial class Dataset
{
    /// <summary>Returns the samples at <paramref name="indices"/>, in that order, as a new data set (values are copied).</summary>
    /// <param name="indices">The sample indices, each in [0, <see cref="Count"/>); repeats are allowed.</param>
    /// <returns>A data set of indices.Length samples with this one's sample shape and classes.</returns>
    public Dataset Select(ReadOnlySpan<int> indices)
    {
        int[] shape = [indices.Length, .. _sampleShape];
        var features = new FloatTensor(shape);
        var labels = new int[indices.Length];
        CopyBatch(indices, features, labels);
        return new Dataset(features, labels, ClassCount, ClassNames);
    }

    /// <summary>Returns the samples in a random order drawn from <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed of the permutation; the same seed gives the same order.</param>
    /// <returns>A data set holding the same samples, permuted.</returns>
    public Dataset Shuffle(int seed) => Select(Permutation(Count, seed));

    /// <summary>Shuffles the samples with <paramref name="seed"/>, then splits them into a training and a test part.</summary>
    /// <param name="trainFraction">The fraction of samples that go to the training part, in (0, 1). The training part
    /// gets round(trainFraction × <see cref="Count"/>) samples (halves round away from zero) and the test part the rest.</param>
    /// <param name="seed">The seed of the shuffle.</param>
    /// <returns>The two parts; together they hold every sample once. Classes are not stratified.</returns>
    public (Dataset Train, Dataset Test) Split(double trainFraction, int seed)
    {
        if (!(trainFraction > 0 && trainFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "trainFraction must be greater than 0 and less than 1.");
        }

        int trainCount = (int)Math.Round(trainFraction * Count, MidpointRounding.AwayFromZero);
        int[] order = Permutation(Count, seed);
        return (Select(order.AsSpan(0, trainCount)), Select(order.AsSpan(trainCount)));
    }

    /// <summary>Returns <paramref name="count"/> consecutive samples starting at <paramref name="start"/> (values are copied).</summary>
    /// <param name="start">The index of the first sample, in [0, <see cref="Count"/>].</param>
    /// <param name="count">The number of samples; start + count must not exceed <see cref="Count"/>.</param>
    /// <returns>The slice.</returns>
    public Dataset Slice(int start, int count)
    {
        if (start < 0 || start > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"start must be between 0 and the sample count {Count}.");
        }

        if (count < 0 || count > Count - start)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be between 0 and {Count - start} (the samples after start {start}).");
        }

        int[] shape = [count, .. _sampleShape];
        var features = new FloatTensor(shape);
        Features.Span.Slice(start * FeatureCount, count * FeatureCount).CopyTo(features.Span);
        return new Dataset(features, Labels.AsSpan(start, count).ToArray(), ClassCount, ClassNames);
    }

    /// <summary>Returns the first <paramref name="count"/> samples, or all of them when there are fewer.</summary>
    /// <param name="count">The largest number of samples to keep; at least 0.</param>
    /// <returns>The first min(count, <see cref="Count"/>) samples.</returns>
    public Dataset Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Slice(0, Math.Min(count, Count));
    }

    /// <summary>Standardizes or min-max scales every feature with statistics computed on this data set.</summary>
    /// <param name="kind">The normalization to apply.</param>
    /// <returns>The normalized data set.</returns>
    /// <remarks>Use <see cref="Normalize(NormalizationKind, out Normalizer)"/> to apply the same statistics to another data set.</remarks>
    public Dataset Normalize(NormalizationKind kind) => Normalize(kind, out _);

    /// <summary>
    /// Standardizes or min-max scales every feature with statistics computed on this data set, and returns those
    /// statistics so that the same transform can be applied to another data set (for example the test set).
    /// </summary>
    /// <param name="kind">The normalization to apply.</param>
    /// <param name="normalizer">Receives the fitted statistics.</param>
    /// <returns>The normalized data set.</returns>
    public Dataset Normalize(NormalizationKind kind, out Normalizer normalizer)
    {
        normalizer = Normalizer.Fit(this, kind);
        return normalizer.Apply(this);
    }

    /// <summary>Applies statistics fitted on another data set, typically the training set.</summary>
    /// <param name="normalizer">The fitted statistics; its feature count must equal <see cref="FeatureCount"/>.</param>
    /// <returns>The normalized data set.</returns>
    public Dataset Normalize(Normalizer normalizer)
    {
        ArgumentNullException.ThrowIfNull(normalizer);
        return normalizer.Apply(this);
    }

    /// <summary>
    /// Shrinks image samples of shape [C, H, W] to [C, <paramref name="height"/>, <paramref name="width"/>] by exact
    /// area averaging.
    /// </summary>
    /// <param name="height">The new height, in [1, H].</param>
    /// <param name="width">The new width, in [1, W].</param>
    /// <returns>The downsampled data set.</returns>
    /// <remarks>
    /// Each output pixel is the mean of the input area it covers, each input pixel weighted by the fraction of it
    /// that lies inside that area; the weights of one output pixel sum to 1, and the result is exact for any ratio
    /// (28 → 10 included). This matches OpenCV's <c>cv2.resize(..., interpolation=INTER_AREA)</c> when shrinking.
    /// For ratios that are not whole numbers it differs from PyTorch's <c>F.interpolate(mode='area')</c>, which is
    /// <c>adaptive_avg_pool2d</c>: that averages the whole pixels of windows [floor(i·H/h), ceil((i+1)·H/h)) with
    /// equal weights, so windows overlap. For whole-number ratios all three agree with plain block averaging.
    /// </remarks>
    public Dataset Downsample(int height, int width)
    {
        if (_sampleShape.Length != 3)
        {
            throw new InvalidOperationException($"Downsample needs image samples of shape [C, H, W], but the sample shape is {FloatTensor.FormatShape(_sampleShape)}.");
        }

        int channels = _sampleShape[0], inHeight = _sampleShape[1], inWidth = _sampleShape[2];
        if (height < 1 || height > inHeight)
        {
            throw new ArgumentOutOfRangeException(nameof(height), height, $"height must be between 1 and the image height {inHeight}.");
        }

        if (width < 1 || width > inWidth)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, $"width must be between 1 and the image width {inWidth}.");
        }

        var output = new FloatTensor(Count, channels, height, width);
        AreaResampler.Resample(Features.Span, output.Span, Count * channels, inHeight, inWidth, height, width);
        return new Dataset(output, (int[])Labels.Clone(), ClassCount, ClassNames);
    }

    /// <summary>Returns a data set whose samples are flat vectors of shape [<see cref="FeatureCount"/>].</summary>
    /// <returns>A data set sharing this one's feature buffer.</returns>
    public Dataset Flatten() => Reshape(FeatureCount);

    /// <summary>Returns a data set whose samples have another shape with the same number of values.</summary>
    /// <param name="sampleShape">The new sample shape; its product must equal <see cref="FeatureCount"/>. One dimension may be -1 to infer it.</param>
    /// <returns>A data set sharing this one's feature buffer.</returns>
    public Dataset Reshape(params int[] sampleShape)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        int[] shape = [Count, .. sampleShape];
        long known = 1;
        int inferred = -1;
        for (int i = 1; i < shape.Length; i++)
        {
            if (shape[i] == -1 && inferred < 0)
            {
                inferred = i;
            }
            else if (shape[i] < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(sampleShape), $"Sample shape {FloatTensor.FormatShape(sampleShape)} must have positive dimensions, with at most one -1.");
            }
            else
            {
                known *= shape[i];
            }
        }

        if (inferred > 0 && FeatureCount % known == 0)
        {
            shape[inferred] = (int)(FeatureCount / known);
            known = FeatureCount;
        }

        if (sampleShape.Length == 0 || known != FeatureCount)
        {
            throw new ArgumentException($"Sample shape {FloatTensor.FormatShape(sampleShape)} does not hold {FeatureCount} values (the current sample shape is {FloatTensor.FormatShape(_sampleShape)}).", nameof(sampleShape));
        }

        return new Dataset(new FloatTensor(Features.Data, shape), Labels, ClassCount, ClassNames);
    }

    internal static int[] Permutation(int count, int seed)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        // Fisher-Yates written out, so that the order for a seed does not depend on the runtime's Random.Shuffle.
        var random = new Random(seed);
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }
}
