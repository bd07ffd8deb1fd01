using System.Globalization;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// A labelled classification data set: a feature tensor of shape [N, ...sample shape] and one class index per sample.
/// </summary>
/// <remarks>
/// <para>
/// A data set is treated as immutable. Every operation (<see cref="Split"/>, <see cref="Shuffle"/>,
/// <see cref="Slice"/>, <see cref="Normalize(NormalizationKind)"/>, <see cref="Downsample"/>, ...) returns a new data
/// set and leaves this one unchanged.
/// </para>
/// <para>
/// Ownership: the constructor keeps the given tensor and label array without copying them, and
/// <see cref="Flatten"/> and <see cref="Reshape"/> return data sets that share this one's feature buffer. Do not
/// modify <see cref="Features"/>, <see cref="Labels"/> or <see cref="SampleShape"/> after construction.
/// <see cref="FromArray"/> and <see cref="FromArrays"/> copy their inputs.
/// </para>
/// </remarks>
public sealed partial class Dataset
{
    private readonly int[] _sampleShape;

    /// <summary>Creates a data set over an existing feature tensor and label array (neither is copied).</summary>
    /// <param name="features">The features, of shape [N, ...sample shape] with at least one sample dimension, each positive.</param>
    /// <param name="labels">The class index of each sample; its length must be N and each value in [0, <paramref name="classCount"/>).</param>
    /// <param name="classCount">The number of classes; at least 1.</param>
    /// <param name="classNames">The name of each class, or <see langword="null"/>; when given, it must hold <paramref name="classCount"/> names.</param>
    /// <exception cref="ArgumentException">The shapes, counts or names do not agree.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is below 1, or a label is outside [0, <paramref name="classCount"/>).</exception>
    public Dataset(FloatTensor features, int[] labels, int classCount, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Rank < 2)
        {
            throw new ArgumentException($"The features must have shape [N, ...sample shape] with at least one sample dimension, but have shape {FloatTensor.FormatShape(features.Shape)}.", nameof(features));
        }

        for (int axis = 1; axis < features.Rank; axis++)
        {
            if (features.Dim(axis) < 1)
            {
                throw new ArgumentException($"Every sample dimension must be positive, but the features have shape {FloatTensor.FormatShape(features.Shape)}.", nameof(features));
            }
        }

        if (features.Dim(0) != labels.Length)
        {
            throw new ArgumentException($"The features hold {features.Dim(0)} samples but there are {labels.Length} labels.", nameof(labels));
        }

        if (classCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "classCount must be at least 1.");
        }

        if (classNames is not null && classNames.Count != classCount)
        {
            throw new ArgumentException($"{classNames.Count} class names were given for {classCount} classes.", nameof(classNames));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"Label {labels[i]} of sample {i} is outside the class range [0, {classCount}).");
            }
        }

        Features = features;
        Labels = labels;
        ClassCount = classCount;
        ClassNames = classNames;
        _sampleShape = features.Shape[1..];
        FeatureCount = FloatTensor.ComputeLength(_sampleShape);
    }

    /// <summary>Gets the features, of shape [<see cref="Count"/>, ...<see cref="SampleShape"/>]. Do not modify.</summary>
    public FloatTensor Features { get; }

    /// <summary>Gets the class index of each sample, each in [0, <see cref="ClassCount"/>). Do not modify the returned array.</summary>
    public int[] Labels { get; }

    /// <summary>Gets the number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>Gets the shape of one sample, for example [1, 28, 28] for a grey image. Do not modify the returned array.</summary>
    public int[] SampleShape => _sampleShape;

    /// <summary>Gets the number of values in one sample: the product of <see cref="SampleShape"/>.</summary>
    public int FeatureCount { get; }

    /// <summary>Gets the number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Gets the name of each class, or <see langword="null"/> when the classes are unnamed.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Creates a data set from one feature row per sample, copying the values.</summary>
    /// <param name="rows">The feature rows; all must have the same non-zero length. The sample shape is [row length].</param>
    /// <param name="labels">The class index of each row.</param>
    /// <param name="classCount">The number of classes, or <see langword="null"/> for the number of <paramref name="classNames"/> if given, else the largest label plus one.</param>
    /// <param name="classNames">The name of each class, or <see langword="null"/>.</param>
    /// <returns>The new data set.</returns>
    public static Dataset FromArrays(float[][] rows, int[] labels, int? classCount = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labels);
        if (rows.Length == 0)
        {
            throw new ArgumentException("At least one row is needed to know the sample shape; use the constructor for an empty data set.", nameof(rows));
        }

        int width = rows[0]?.Length ?? 0;
        var features = new FloatTensor(rows.Length, width);
        Span<float> destination = features.Span;
        for (int i = 0; i < rows.Length; i++)
        {
            float[]? row = rows[i];
            if (row is null || row.Length != width || width == 0)
            {
                throw new ArgumentException($"Row {i} has {row?.Length.ToString(CultureInfo.InvariantCulture) ?? "no"} values; every row must have {width} (the length of row 0), and at least one.", nameof(rows));
            }

            row.CopyTo(destination.Slice(i * width, width));
        }

        return new Dataset(features, (int[])labels.Clone(), ResolveClassCount(labels, classCount, classNames), classNames);
    }

    /// <summary>Creates a data set from one flat row-major array of features, copying the values.</summary>
    /// <param name="features">The features of all samples, sample after sample; its length must be N times the product of <paramref name="sampleShape"/>.</param>
    /// <param name="sampleShape">The shape of one sample, for example [1, 28, 28].</param>
    /// <param name="labels">The class index of each sample; its length is N.</param>
    /// <param name="classCount">The number of classes, or <see langword="null"/> for the number of <paramref name="classNames"/> if given, else the largest label plus one.</param>
    /// <param name="classNames">The name of each class, or <see langword="null"/>.</param>
    /// <returns>The new data set.</returns>
    public static Dataset FromArray(float[] features, int[] sampleShape, int[] labels, int? classCount = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(sampleShape);
        ArgumentNullException.ThrowIfNull(labels);
        if (sampleShape.Length == 0)
        {
            throw new ArgumentException("The sample shape needs at least one dimension.", nameof(sampleShape));
        }

        int[] shape = [labels.Length, .. sampleShape];
        var tensor = new FloatTensor(shape);
        if (features.Length != tensor.Length)
        {
            throw new ArgumentException($"{features.Length} feature values do not fill {labels.Length} samples of shape {FloatTensor.FormatShape(sampleShape)} ({tensor.Length} values).", nameof(features));
        }

        features.CopyTo(tensor.Span);
        return new Dataset(tensor, (int[])labels.Clone(), ResolveClassCount(labels, classCount, classNames), classNames);
    }

    /// <summary>Gets the features of one sample.</summary>
    /// <param name="index">The sample index, in [0, <see cref="Count"/>).</param>
    /// <returns>The <see cref="FeatureCount"/> values of the sample, row-major over <see cref="SampleShape"/>.</returns>
    public ReadOnlySpan<float> GetSample(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Features.Span.Slice(index * FeatureCount, FeatureCount);
    }

    /// <summary>Counts the samples of each class.</summary>
    /// <returns>An array of <see cref="ClassCount"/> counts.</returns>
    public int[] CountByClass()
    {
        var counts = new int[ClassCount];
        foreach (int label in Labels)
        {
            counts[label]++;
        }

        return counts;
    }

    /// <summary>
    /// Copies the samples at <paramref name="indices"/> into a batch, in that order, without allocating once the
    /// batch tensor has the right shape.
    /// </summary>
    /// <param name="indices">The sample indices, each in [0, <see cref="Count"/>); repeats are allowed.</param>
    /// <param name="features">The batch tensor; it is resized (<see cref="FloatTensor.Resize"/>) to [indices.Length, ...<see cref="SampleShape"/>] when its shape differs.</param>
    /// <param name="labels">Receives the labels; its length must be at least indices.Length, and only the first indices.Length entries are written.</param>
    public void CopyBatch(ReadOnlySpan<int> indices, FloatTensor features, Span<int> labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (labels.Length < indices.Length)
        {
            throw new ArgumentException($"The label buffer holds {labels.Length} entries but the batch has {indices.Length} samples.", nameof(labels));
        }

        if (!HasBatchShape(features, indices.Length))
        {
            int[] shape = [indices.Length, .. _sampleShape];
            features.Resize(shape);
        }

        ReadOnlySpan<float> source = Features.Span;
        Span<float> destination = features.Span;
        int width = FeatureCount;
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Index {index} at batch position {i} is outside [0, {Count}).");
            }

            source.Slice(index * width, width).CopyTo(destination.Slice(i * width, width));
            labels[i] = Labels[index];
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"Dataset[{Count} samples of {FloatTensor.FormatShape(_sampleShape)}, {ClassCount} classes]");

    private bool HasBatchShape(FloatTensor features, int batch)
    {
        int[] shape = features.Shape;
        return shape.Length == _sampleShape.Length + 1 && shape[0] == batch && shape.AsSpan(1).SequenceEqual(_sampleShape);
    }

    private static int ResolveClassCount(int[] labels, int? classCount, IReadOnlyList<string>? classNames)
    {
        if (classCount is int count)
        {
            return count;
        }

        if (classNames is not null)
        {
            return classNames.Count;
        }

        int max = -1;
        foreach (int label in labels)
        {
            max = Math.Max(max, label);
        }

        return Math.Max(max + 1, 1);
    }
}
