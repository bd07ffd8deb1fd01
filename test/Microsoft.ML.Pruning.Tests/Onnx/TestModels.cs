using Google.Protobuf;
using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>Builds small ONNX models directly from the protobuf messages, for tests of specific import paths and errors.</summary>
internal static class TestModels
{
    /// <summary>Creates a model with input 'x' of shape [batch, ...<paramref name="inputShape"/>] and output 'y'.</summary>
    /// <param name="inputShape">The per-sample input shape.</param>
    /// <param name="nodes">The nodes.</param>
    /// <param name="initializers">The initializers.</param>
    /// <param name="opset">The default operator set version.</param>
    /// <returns>The model.</returns>
    public static ModelProto Model(int[] inputShape, NodeProto[] nodes, TensorProto[]? initializers = null, int opset = 13)
    {
        var graph = new GraphProto { Name = "test" };
        graph.Input.Add(Value("x", ["batch", .. inputShape.Select(d => (object)d)]));
        graph.Output.Add(new ValueInfoProto { Name = "y", Type = new TypeProto { TensorType = new TypeProto.Types.FloatTensor { ElemType = 1 } } });
        graph.Node.AddRange(nodes);
        graph.Initializer.AddRange(initializers ?? []);
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    /// <summary>Describes a float32 tensor value; each dimension is an int (dim_value) or a string (dim_param).</summary>
    /// <param name="name">The value name.</param>
    /// <param name="dims">The dimensions.</param>
    /// <returns>The value description.</returns>
    public static ValueInfoProto Value(string name, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d is string symbol ? new TensorShapeProto.Types.Dimension { DimParam = symbol } : new TensorShapeProto.Types.Dimension { DimValue = (int)d });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.FloatTensor { ElemType = 1, Shape = shape } } };
    }

    /// <summary>Creates a node.</summary>
    /// <param name="opType">The operator.</param>
    /// <param name="inputs">The inputs.</param>
    /// <param name="output">The output.</param>
    /// <param name="attributes">The attributes.</param>
    /// <returns>The node.</returns>
    public static NodeProto Node(string opType, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = opType.ToLowerInvariant() + "_node" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    /// <summary>Creates a float32 initializer with its values in float_data (the typed field).</summary>
    /// <param name="name">The name.</param>
    /// <param name="dims">The dimensions.</param>
    /// <param name="values">The values.</param>
    /// <returns>The tensor.</returns>
    public static TensorProto Floats(string name, long[] dims, params float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        return tensor;
    }

    /// <summary>Creates an INTS attribute.</summary>
    /// <param name="name">The name.</param>
    /// <param name="values">The values.</param>
    /// <returns>The attribute.</returns>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>Creates a STRING attribute.</summary>
    /// <param name="name">The name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The attribute.</returns>
    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>Serializes a model into a readable stream.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The stream.</returns>
    public static MemoryStream Stream(ModelProto model) => new(model.ToByteArray(), writable: false);
}
