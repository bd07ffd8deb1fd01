using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// A constant tensor read from an ONNX initializer or <c>Constant</c> node, validated: float32 values (from
/// <c>raw_data</c> or <c>float_data</c>; float16 values are converted to float32), int64 values (shapes and pads; int32
/// ones are widened) or booleans (flags, read as 0 and 1); every other element type is rejected. Data in an external
/// file is read through <see cref="OnnxExternalData"/> when the model's folder is known.
/// </summary>
internal sealed class OnnxTensor
{
    private OnnxTensor(int[] dims, TensorProto.Types.DataType type, float[]? floats, long[]? integers)
    {
        Dims = dims;
        Type = type;
        _floats = floats;
        _integers = integers;
    }

    private readonly float[]? _floats;
    private readonly long[]? _integers;

    /// <summary>Gets the dimensions.</summary>
    public int[] Dims { get; }

    /// <summary>Gets the element type.</summary>
    public TensorProto.Types.DataType Type { get; }

    /// <summary>Gets the number of elements.</summary>
    public int Length => _floats?.Length ?? _integers!.Length;

    /// <summary>Creates a float32 tensor.</summary>
    /// <param name="dims">The dimensions.</param>
    /// <param name="values">The values, row-major.</param>
    /// <returns>The tensor.</returns>
    public static OnnxTensor FromFloats(int[] dims, float[] values) => new(dims, TensorProto.Types.DataType.Float, values, null);

    /// <summary>Creates an int64 tensor.</summary>
    /// <param name="dims">The dimensions.</param>
    /// <param name="values">The values, row-major.</param>
    /// <returns>The tensor.</returns>
    public static OnnxTensor FromIntegers(int[] dims, long[] values) => new(dims, TensorProto.Types.DataType.Int64, null, values);

    /// <summary>Reads and validates a tensor.</summary>
    /// <param name="proto">The serialized tensor.</param>
    /// <param name="fail">Builds the exception for a reason (it names the node or initializer).</param>
    /// <param name="directory">The model's folder, where external data files lie; <see langword="null"/> when unknown.</param>
    /// <returns>The tensor.</returns>
    public static OnnxTensor Read(TensorProto proto, Func<string, OnnxImportException> fail, string? directory = null)
    {
        string what = string.IsNullOrEmpty(proto.Name) ? "a constant tensor" : $"tensor '{proto.Name}'";
        bool external = proto.DataLocation == TensorProto.Types.DataLocation.External || proto.ExternalData.Count > 0;

        var dims = new int[proto.Dims.Count];
        long count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            long d = proto.Dims[i];
            if (d < 0 || d > Array.MaxLength)
            {
                throw fail($"{what} declares dimension {d}, outside [0, {Array.MaxLength}].");
            }

            dims[i] = (int)d;
            count *= d;
            if (count > Array.MaxLength)
            {
                throw fail($"{what} declares more than {Array.MaxLength} elements.");
            }
        }

        var type = (TensorProto.Types.DataType)proto.DataType;
        int length = (int)count;
        if (external)
        {
            int size = type switch
            {
                TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Int32 => 4,
                TensorProto.Types.DataType.Float16 => 2,
                TensorProto.Types.DataType.Int64 => 8,
                TensorProto.Types.DataType.Bool => 1,
                _ => throw fail($"{what} has element type {TypeName(proto.DataType)}; only FLOAT, FLOAT16, INT64, INT32 and BOOL tensors are supported."),
            };
            proto = OnnxExternalData.Inline(proto, directory, (long)length * size, fail);
        }

        switch (type)
        {
            case TensorProto.Types.DataType.Float:
                return new(dims, type, ReadFloats(proto, length, what, fail), null);
            case TensorProto.Types.DataType.Float16:
                return new(dims, TensorProto.Types.DataType.Float, ReadHalves(proto, length, what, fail), null);
            case TensorProto.Types.DataType.Int32:
                return new(dims, TensorProto.Types.DataType.Int64, null, ReadInt32s(proto, length, what, fail));
            case TensorProto.Types.DataType.Int64:
                return new(dims, type, null, ReadIntegers(proto, length, what, fail));
            case TensorProto.Types.DataType.Bool:
                return new(dims, type, null, ReadBooleans(proto, length, what, fail));
            default:
                throw fail($"{what} has element type {TypeName(proto.DataType)}; only FLOAT and FLOAT16 weights, INT64 and INT32 shapes and BOOL flags are supported.");
        }
    }

    /// <summary>Returns the float32 values, failing when the tensor holds another type.</summary>
    /// <param name="role">What the tensor is for, such as "the weight".</param>
    /// <param name="fail">Builds the exception for a reason.</param>
    /// <returns>The values (not copied).</returns>
    public float[] Floats(string role, Func<string, OnnxImportException> fail) =>
        _floats ?? throw fail($"{role} must be a FLOAT (float32) tensor, got {TypeName((int)Type)}.");

    /// <summary>Returns the int64 (or boolean, as 0 and 1) values, failing when the tensor holds another type.</summary>
    /// <param name="role">What the tensor is for, such as "the shape".</param>
    /// <param name="fail">Builds the exception for a reason.</param>
    /// <returns>The values (not copied).</returns>
    public long[] Integers(string role, Func<string, OnnxImportException> fail) =>
        _integers ?? throw fail($"{role} must be an INT64 tensor, got {TypeName((int)Type)}.");

    /// <summary>Returns a tensor of the same type holding the elements at <paramref name="sourceIndices"/> (constant folding).</summary>
    /// <param name="dims">The new dimensions.</param>
    /// <param name="sourceIndices">For each new element (row-major), the index of the element it copies.</param>
    /// <returns>The tensor.</returns>
    public OnnxTensor Select(int[] dims, int[] sourceIndices) =>
        _floats is not null
            ? new(dims, Type, sourceIndices.Select(i => _floats[i]).ToArray(), null)
            : new(dims, Type, null, sourceIndices.Select(i => _integers![i]).ToArray());

    /// <summary>Returns the dimensions formatted as <c>[a, b]</c>.</summary>
    /// <returns>The text.</returns>
    public string FormatDims() => "[" + string.Join(", ", Dims) + "]";

    /// <summary>Names an ONNX element type.</summary>
    /// <param name="dataType">The <c>TensorProto.DataType</c> value.</param>
    /// <returns>The upper-case name, or the number when unknown.</returns>
    public static string TypeName(int dataType) =>
        Enum.IsDefined(typeof(TensorProto.Types.DataType), dataType)
            ? ((TensorProto.Types.DataType)dataType).ToString().ToUpperInvariant()
            : $"#{dataType}";

    private static float[] ReadFloats(TensorProto proto, int length, string what, Func<string, OnnxImportException> fail)
    {
        if (proto.HasRawData)
        {
            var raw = proto.RawData.Span;
            if (raw.Length != (long)length * sizeof(float))
            {
                throw fail($"{what} declares {length} float32 values but its raw_data holds {raw.Length} bytes.");
            }

            var values = new float[length];
            if (BitConverter.IsLittleEndian)
            {
                raw.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            }
            else
            {
                for (int i = 0; i < length; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * sizeof(float)));
                }
            }

            return values;
        }

        if (proto.FloatData.Count != length)
        {
            throw fail($"{what} declares {length} float32 values but holds {proto.FloatData.Count} in float_data.");
        }

        return [.. proto.FloatData];
    }

    private static long[] ReadIntegers(TensorProto proto, int length, string what, Func<string, OnnxImportException> fail)
    {
        if (proto.HasRawData)
        {
            var raw = proto.RawData.Span;
            if (raw.Length != (long)length * sizeof(long))
            {
                throw fail($"{what} declares {length} int64 values but its raw_data holds {raw.Length} bytes.");
            }

            var values = new long[length];
            for (int i = 0; i < length; i++)
            {
                values[i] = BinaryPrimitives.ReadInt64LittleEndian(raw.Slice(i * sizeof(long)));
            }

            return values;
        }

        if (proto.Int64Data.Count != length)
        {
            throw fail($"{what} declares {length} int64 values but holds {proto.Int64Data.Count} in int64_data.");
        }

        return [.. proto.Int64Data];
    }

    private static float[] ReadHalves(TensorProto proto, int length, string what, Func<string, OnnxImportException> fail)
    {
        var values = new float[length];
        if (proto.HasRawData)
        {
            var raw = proto.RawData.Span;
            if (raw.Length != (long)length * 2)
            {
                throw fail($"{what} declares {length} float16 values but its raw_data holds {raw.Length} bytes.");
            }

            for (int i = 0; i < length; i++)
            {
                values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(raw.Slice(i * 2));
            }

            return values;
        }

        // float16 values are stored as their bit patterns in int32_data.
        if (proto.Int32Data.Count != length)
        {
            throw fail($"{what} declares {length} float16 values but holds {proto.Int32Data.Count} in int32_data.");
        }

        for (int i = 0; i < length; i++)
        {
            values[i] = (float)BitConverter.UInt16BitsToHalf((ushort)proto.Int32Data[i]);
        }

        return values;
    }

    private static long[] ReadInt32s(TensorProto proto, int length, string what, Func<string, OnnxImportException> fail)
    {
        if (proto.HasRawData)
        {
            var raw = proto.RawData.Span;
            if (raw.Length != (long)length * sizeof(int))
            {
                throw fail($"{what} declares {length} int32 values but its raw_data holds {raw.Length} bytes.");
            }

            var values = new long[length];
            for (int i = 0; i < length; i++)
            {
                values[i] = BinaryPrimitives.ReadInt32LittleEndian(raw.Slice(i * sizeof(int)));
            }

            return values;
        }

        if (proto.Int32Data.Count != length)
        {
            throw fail($"{what} declares {length} int32 values but holds {proto.Int32Data.Count} in int32_data.");
        }

        return proto.Int32Data.Select(v => (long)v).ToArray();
    }

    private static long[] ReadBooleans(TensorProto proto, int length, string what, Func<string, OnnxImportException> fail)
    {
        if (proto.HasRawData)
        {
            var raw = proto.RawData.Span;
            if (raw.Length != length)
            {
                throw fail($"{what} declares {length} booleans but its raw_data holds {raw.Length} bytes.");
            }

            var values = new long[length];
            for (int i = 0; i < length; i++)
            {
                values[i] = raw[i] != 0 ? 1 : 0;
            }

            return values;
        }

        if (proto.Int32Data.Count != length)
        {
            throw fail($"{what} declares {length} booleans but holds {proto.Int32Data.Count} in int32_data.");
        }

        return proto.Int32Data.Select(v => v != 0 ? 1L : 0L).ToArray();
    }
}
