using Google.Protobuf;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Onnx.Proto;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// One ONNX conformance test of Debian's libonnx-testdata (<c>data/&lt;folder&gt;/&lt;name&gt;/model.onnx</c> and
/// <c>test_data_set_0/{input,output}_N.pb</c>), prepared for a static-weight importer: a node test (<c>data/node</c>,
/// named by its folder) or one of the old PyTorch exports at opset 6 (<c>data/pytorch-converted</c> and
/// <c>data/pytorch-operator</c>, named with their folder, such as <c>pytorch-converted/test_Conv2d</c>).
/// </summary>
/// <remarks>
/// The node tests feed weights (Conv's W, Gemm's B and C, BatchNormalization's statistics, Reshape's shape, ...) as
/// graph inputs, while a <see cref="Network"/> has one input and constant weights. This test-only preparation turns
/// every graph input after the first that is not already an initializer into an initializer holding its test data,
/// exactly what a model exported for inference would contain. The model's declared opset is kept: the importer reads
/// each operator in the version in force at it (GlobalAveragePool-1, Elu-6 and the opset-6 PyTorch exports included).
/// </remarks>
internal sealed class OnnxNodeTest
{
    /// <summary>The folder of the node tests.</summary>
    public const string Root = DataRoot + "/node";

    /// <summary>The folder of libonnx-testdata's test sets (node, pytorch-converted, pytorch-operator, ...).</summary>
    public const string DataRoot = "/usr/share/libonnx-testdata/data";

    /// <summary>The folders of the old PyTorch exports (opset 6), whose tests are named with their folder.</summary>
    public static readonly string[] PyTorchFolders = ["pytorch-converted", "pytorch-operator"];

    private OnnxNodeTest(string name, byte[] model, FloatTensor input, OnnxTensor expected)
    {
        Name = name;
        Model = model;
        Input = input;
        Expected = expected;
    }

    /// <summary>Gets the test's name (its folder).</summary>
    public string Name { get; }

    /// <summary>Gets the prepared model's bytes.</summary>
    public byte[] Model { get; }

    /// <summary>Gets the first input's test data, or an empty tensor when it is not float32.</summary>
    public FloatTensor Input { get; }

    /// <summary>Gets the first output's expected values.</summary>
    public OnnxTensor Expected { get; }

    /// <summary>Reads and prepares a node test.</summary>
    /// <param name="name">The test folder name.</param>
    /// <returns>The test.</returns>
    public static OnnxNodeTest Load(string name)
    {
        string folder = Path.Combine(name.Contains('/') ? DataRoot : Root, name);
        var model = ReadModel(name);
        var graph = model.Graph;
        string data = Path.Combine(folder, "test_data_set_0");
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        for (int i = 1; i < graph.Input.Count; i++)
        {
            if (initializers.Contains(graph.Input[i].Name))
            {
                continue;
            }

            var tensor = TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(data, $"input_{i}.pb")));
            tensor.Name = graph.Input[i].Name;
            graph.Initializer.Add(tensor);
        }

        var input = ReadTensor(Path.Combine(data, "input_0.pb"));
        var expected = ReadTensor(Path.Combine(data, "output_0.pb"));
        var inputTensor = input.Type == TensorProto.Types.DataType.Float
            ? FloatTensor.FromValues(input.Floats("input", Fail), input.Dims)
            : new FloatTensor(0);
        return new OnnxNodeTest(name, model.ToByteArray(), inputTensor, expected);
    }

    /// <summary>Reads a test's model as it is in the file.</summary>
    /// <param name="name">The test name.</param>
    /// <returns>The model.</returns>
    public static ModelProto ReadModel(string name) =>
        ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(name.Contains('/') ? DataRoot : Root, name, "model.onnx")));

    /// <summary>Imports the prepared model.</summary>
    /// <returns>The network.</returns>
    /// <exception cref="OnnxImportException">The model cannot be expressed as a network.</exception>
    public Network Import()
    {
        using var stream = new MemoryStream(Model, writable: false);
        return OnnxModel.Load(stream, Name);
    }

    private static OnnxTensor ReadTensor(string path)
    {
        var proto = TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));
        try
        {
            return OnnxTensor.Read(proto, Fail);
        }
        catch (OnnxImportException)
        {
            // Test data of a type the importer does not read (uint8, ...): an empty placeholder; the import fails first.
            return OnnxTensor.FromIntegers([0], []);
        }
    }

    private static OnnxImportException Fail(string reason) => new(null, null, null, reason);
}
