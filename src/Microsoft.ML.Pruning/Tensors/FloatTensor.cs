using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Pruning.Tensors;

/// <summary>
/// A dense, row-major float32 tensor. The first dimension is usually the batch.
/// </summary>
/// <remarks>
/// A tensor owns a backing array whose capacity may exceed <see cref="Length"/>, so that a buffer can be
/// reshaped for a smaller or equal batch without reallocating (<see cref="Resize(int[])"/>). Layers keep their
/// output and gradient tensors and reuse them across batches: a tensor returned by a layer is valid until
/// that layer runs again.
/// </remarks>
public sealed class FloatTensor
{
    private float[] _data;
    private int[] _shape;

    /// <summary>Creates a zero-filled tensor of the given shape.</summary>
    /// <param name="shape">The dimensions; each must be non-negative.</param>
    public FloatTensor(params int[] shape)
    {
        _shape = CheckShape(shape);
        _data = new float[ComputeLength(_shape)];
        Length = _data.Length;
    }

    /// <summary>Wraps an existing array (not copied) with the given shape.</summary>
    /// <param name="data">The values, row-major; its length must be at least the shape's element count.</param>
    /// <param name="shape">The dimensions.</param>
    public FloatTensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        _shape = CheckShape(shape);
        int length = ComputeLength(_shape);
        if (data.Length < length)
        {
            throw new ArgumentException($"The data holds {data.Length} values but shape [{string.Join(", ", shape)}] needs {length}.", nameof(data));
        }

        _data = data;
        Length = length;
    }

    /// <summary>Gets the dimensions of the tensor. Do not modify the returned array.</summary>
    public int[] Shape => _shape;

    /// <summary>Gets the number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Gets the number of elements.</summary>
    public int Length { get; private set; }

    /// <summary>Gets the backing array; only the first <see cref="Length"/> values belong to the tensor.</summary>
    public float[] Data => _data;

    /// <summary>Gets the elements as a span of exactly <see cref="Length"/> values.</summary>
    public Span<float> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(_data), Length);
    }

    /// <summary>Gets the size of dimension <paramref name="axis"/>.</summary>
    /// <param name="axis">The dimension index; negative values count from the end.</param>
    public int Dim(int axis) => _shape[axis < 0 ? _shape.Length + axis : axis];

    /// <summary>Gets or sets an element by its multi-dimensional index.</summary>
    /// <param name="index">One index per dimension.</param>
    public float this[params int[] index]
    {
        get => _data[Offset(index)];
        set => _data[Offset(index)] = value;
    }

    /// <summary>Creates a tensor from values, copying them.</summary>
    /// <param name="values">The values, row-major.</param>
    /// <param name="shape">The dimensions; their product must equal the number of values.</param>
    /// <returns>The new tensor.</returns>
    public static FloatTensor FromValues(ReadOnlySpan<float> values, params int[] shape)
    {
        var t = new FloatTensor(shape);
        if (values.Length != t.Length)
        {
            throw new ArgumentException($"{values.Length} values do not fill shape [{string.Join(", ", shape)}] ({t.Length} elements).", nameof(values));
        }

        values.CopyTo(t.Span);
        return t;
    }

    /// <summary>
    /// Changes the shape in place, keeping the backing array when it is large enough. Values are not preserved
    /// in any meaningful order when the length grows.
    /// </summary>
    /// <param name="shape">The new dimensions.</param>
    /// <returns>This tensor.</returns>
    public FloatTensor Resize(params int[] shape)
    {
        int length = ComputeLength(CheckShape(shape));
        if (length > _data.Length)
        {
            _data = new float[length];
        }

        _shape = (int[])shape.Clone();
        Length = length;
        return this;
    }

    /// <summary>Returns a tensor that shares this tensor's data with a different shape of the same element count.</summary>
    /// <param name="shape">The new dimensions; one may be -1 to infer it.</param>
    /// <returns>A view over the same backing array.</returns>
    public FloatTensor Reshape(params int[] shape)
    {
        shape = (int[])shape.Clone();
        int infer = Array.IndexOf(shape, -1);
        if (infer >= 0)
        {
            int known = 1;
            for (int i = 0; i < shape.Length; i++)
            {
                if (i != infer)
                {
                    known *= shape[i];
                }
            }

            if (known == 0 || Length % known != 0)
            {
                throw new ArgumentException($"Cannot reshape {Length} elements to [{string.Join(", ", shape)}].", nameof(shape));
            }

            shape[infer] = Length / known;
        }

        if (ComputeLength(CheckShape(shape)) != Length)
        {
            throw new ArgumentException($"Cannot reshape [{string.Join(", ", _shape)}] ({Length} elements) to [{string.Join(", ", shape)}].", nameof(shape));
        }

        return new FloatTensor(_data, shape);
    }

    /// <summary>Returns a deep copy with a backing array of exactly <see cref="Length"/> values.</summary>
    /// <returns>The copy.</returns>
    public FloatTensor Clone()
    {
        var copy = new FloatTensor(_shape);
        Span.CopyTo(copy.Span);
        return copy;
    }

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Span.Clear();

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    /// <param name="value">The fill value.</param>
    public void Fill(float value) => Span.Fill(value);

    /// <summary>Copies the values of another tensor of the same element count into this one.</summary>
    /// <param name="source">The tensor to copy from.</param>
    public void CopyFrom(FloatTensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Length != Length)
        {
            throw new ArgumentException($"Cannot copy {source.Length} elements into a tensor of {Length}.", nameof(source));
        }

        source.Span.CopyTo(Span);
    }

    /// <summary>Returns whether two shapes are equal.</summary>
    /// <param name="shape">The shape to compare with.</param>
    /// <returns><see langword="true"/> when every dimension matches.</returns>
    public bool HasShape(ReadOnlySpan<int> shape) => shape.SequenceEqual(_shape);

    /// <inheritdoc/>
    public override string ToString() => $"FloatTensor[{string.Join(", ", _shape)}]";

    /// <summary>Formats a shape as <c>[a, b, c]</c>.</summary>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The text.</returns>
    public static string FormatShape(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    internal static int ComputeLength(ReadOnlySpan<int> shape)
    {
        long length = 1;
        foreach (int d in shape)
        {
            length *= d;
            if (length > int.MaxValue)
            {
                throw new ArgumentException($"Shape {FormatShape(shape)} has more than {int.MaxValue} elements.", nameof(shape));
            }
        }

        return (int)length;
    }

    private static int[] CheckShape(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(shape), $"Shape {FormatShape(shape)} has a negative dimension.");
            }
        }

        return (int[])shape.Clone();
    }

    private int Offset(int[] index)
    {
        if (index.Length != _shape.Length)
        {
            throw new ArgumentException($"Expected {_shape.Length} indices, got {index.Length}.", nameof(index));
        }

        int offset = 0;
        for (int i = 0; i < index.Length; i++)
        {
            if ((uint)index[i] >= (uint)_shape[i])
            {
                throw new IndexOutOfRangeException($"Index {index[i]} is outside dimension {i} of size {_shape[i]}.");
            }

            offset = (offset * _shape[i]) + index[i];
        }

        return offset;
    }
}
