using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx.Proto;
using static Microsoft.ML.Pruning.Onnx.OnnxProtoFactory;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// Writes a network as ONNX in either <see cref="OnnxExportFlavor"/>. The per-row graph wraps the batch graph: a
/// Reshape from <c>Features</c> [N] to the network's [1, ...sample] input, the network, a Softmax unless the network
/// ends in one, and a Reshape to <c>Score</c> [C].
/// </summary>
internal static class OnnxRowModel
{
    /// <summary>The per-row graph's input name, ML.NET's default feature column.</summary>
    public const string InputName = "Features";

    /// <summary>The per-row graph's output name, ML.NET's score column.</summary>
    public const string OutputName = "Score";

    /// <summary>Writes a network to a stream as ONNX.</summary>
    /// <param name="network">The network.</param>
    /// <param name="stream">The writable stream; left open.</param>
    /// <param name="flavor">The graph's shape.</param>
    /// <exception cref="NotSupportedException">A layer has no ONNX equivalent.</exception>
    public static void Save(Network network, Stream stream, OnnxExportFlavor flavor)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        OnnxExporter.Write(Export(network, flavor), stream);
    }

    /// <summary>Writes a network to a file as ONNX, atomically (the file is replaced only once complete).</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The destination .onnx file.</param>
    /// <param name="flavor">The graph's shape.</param>
    /// <exception cref="NotSupportedException">A layer has no ONNX equivalent.</exception>
    public static void Save(Network network, string path, OnnxExportFlavor flavor)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var model = Export(network, flavor);
        AtomicFile.Write(path, stream => OnnxExporter.Write(model, stream));
    }

    /// <summary>Returns the serialized per-row model whose input is named <paramref name="inputName"/>.</summary>
    internal static byte[] PerRowBytes(Network network, string inputName)
    {
        var model = OnnxExporter.Export(network);
        ToPerRow(model.Graph, network, inputName);
        using var stream = new MemoryStream();
        OnnxExporter.Write(model, stream);
        return stream.ToArray();
    }

    private static ModelProto Export(Network network, OnnxExportFlavor flavor)
    {
        if (!Enum.IsDefined(flavor))
        {
            throw new ArgumentOutOfRangeException(nameof(flavor), flavor, "flavor must be Batch or PerRow.");
        }

        var model = OnnxExporter.Export(network);
        if (flavor == OnnxExportFlavor.PerRow)
        {
            ToPerRow(model.Graph, network, InputName);
        }

        return model;
    }

    private static void ToPerRow(GraphProto graph, Network network, string inputName)
    {
        int features = Tensors.FloatTensor.ComputeLength(network.InputShape), classes = Tensors.FloatTensor.ComputeLength(network.OutputShape);
        graph.Input.Clear();
        graph.Input.Add(RowValue(inputName, features));
        graph.Initializer.Add(Shape("row_input_shape", [1, .. network.InputShape]));
        graph.Node.Insert(0, Node("Reshape", "row_input_reshape", [inputName, "row_input_shape"], OnnxModel.InputName));

        var batchOutput = graph.Output[0];
        graph.Output.Clear();
        graph.ValueInfo.Add(batchOutput);
        string probabilities = OnnxModel.OutputName;
        if (network.Nodes.Count == 0 || network.Nodes[^1].Layer is not Softmax)
        {
            probabilities = "row_probabilities";
            graph.Node.Add(Node("Softmax", "row_softmax", [OnnxModel.OutputName], probabilities, Int("axis", -1)));
        }

        graph.Initializer.Add(Shape("row_output_shape", [classes]));
        graph.Node.Add(Node("Reshape", "row_output_reshape", [probabilities, "row_output_shape"], OutputName));
        graph.Output.Add(RowValue(OutputName, classes));
    }

    private static ValueInfoProto RowValue(string name, int length)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = length });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.FloatTensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static TensorProto Shape(string name, int[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values.Select(v => (long)v));
        return tensor;
    }
}
