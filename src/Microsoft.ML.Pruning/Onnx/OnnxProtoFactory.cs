using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.Pruning.Onnx.Proto;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>Builds the protobuf messages of an exported model: tensors, attributes, typed values and nodes.</summary>
internal static class OnnxProtoFactory
{
    /// <summary>Creates a float32 initializer with its values in <c>raw_data</c> (little-endian).</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="tensor">The values and shape.</param>
    /// <returns>The tensor message.</returns>
    public static TensorProto FloatTensor(string name, FloatTensor tensor)
    {
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(tensor.Shape.Select(d => (long)d));
        var values = tensor.Span;
        if (BitConverter.IsLittleEndian)
        {
            proto.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        }
        else
        {
            var bytes = new byte[values.Length * sizeof(float)];
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
            }

            proto.RawData = ByteString.CopyFrom(bytes);
        }

        return proto;
    }

    /// <summary>Creates an int64 initializer (shapes, pads, slice bounds).</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="values">The values, as a 1-D tensor.</param>
    /// <returns>The tensor message.</returns>
    public static TensorProto Int64Tensor(string name, params long[] values)
    {
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.Add(values.Length);
        proto.Int64Data.AddRange(values);
        return proto;
    }

    /// <summary>Creates a float32 scalar initializer (Clip's bounds, Pad's value).</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The tensor message.</returns>
    public static TensorProto FloatScalar(string name, float value)
    {
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        proto.FloatData.Add(value);
        return proto;
    }

    /// <summary>Describes a float32 tensor of shape [batch, ...<paramref name="sampleShape"/>] with a symbolic batch.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="sampleShape">The per-sample shape.</param>
    /// <returns>The value description.</returns>
    public static ValueInfoProto BatchValue(string name, IEnumerable<int> sampleShape)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = OnnxModel.BatchDimensionName });
        foreach (int d in sampleShape)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.FloatTensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    /// <summary>Creates a node of the default domain.</summary>
    /// <param name="opType">The operator.</param>
    /// <param name="name">The node name.</param>
    /// <param name="inputs">The input tensor names.</param>
    /// <param name="output">The output tensor name.</param>
    /// <param name="attributes">The attributes.</param>
    /// <returns>The node.</returns>
    public static NodeProto Node(string opType, string name, IEnumerable<string> inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    /// <summary>Creates an INT attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The attribute.</returns>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>Creates a FLOAT attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The attribute.</returns>
    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>Creates an INTS attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="values">The values.</param>
    /// <returns>The attribute.</returns>
    public static AttributeProto Ints(string name, params int[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values.Select(v => (long)v));
        return attribute;
    }
}
