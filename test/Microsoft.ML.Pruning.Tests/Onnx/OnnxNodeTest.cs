using Google.Protobuf;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Onnx.Proto;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// One ONNX node conformance test of Debian's libonnx-testdata (<c>data/node/&lt;name&gt;/model.onnx</c> and
/// <c>test_data_set_0/{input,output}_N.pb</c>), prepared for a static-weight importer.
/// </summary>
/// <remarks>
/// The node tests feed weights (Conv's W, Gemm's B and C, BatchNormalization's statistics, Reshape's shape, ...) as
/// graph inputs, while a <see cref="Network"/> has one input and constant weights. This test-only preparation turns
/// every graph input after the first into an initializer holding its test data, exactly what a model exported for
/// inference would contain. It also raises the declared default opset of models older than opset 9 to 9 when every
/// operator they use has no other version up to opset 21 (GlobalAveragePool-1, Elu-6, HardSigmoid-6), so that the model
/// means the same.
/// </remarks>
internal sealed class OnnxNodeTest
{
    /// <summary>The folder of the node tests.</summary>
    public const string Root = "/usr/share/libonnx-testdata/data/node";

    private static readonly HashSet<string> SingleVersionOperators = new(StringComparer.Ordinal) { "GlobalAveragePool", "Elu", "HardSigmoid" };

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
        string folder = Path.Combine(Root, name);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(folder, "model.onnx")));
        var graph = model.Graph;
        string data = Path.Combine(folder, "test_data_set_0");
        for (int i = 1; i < graph.Input.Count; i++)
        {
            var tensor = TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(data, $"input_{i}.pb")));
            tensor.Name = graph.Input[i].Name;
            graph.Initializer.Add(tensor);
        }

        var opset = model.OpsetImport.FirstOrDefault(o => o.Domain.Length == 0);
        if (opset is { Version: < 9 } && graph.Node.All(n => SingleVersionOperators.Contains(n.OpType)))
        {
            opset.Version = 9;
        }

        var input = ReadTensor(Path.Combine(data, "input_0.pb"));
        var expected = ReadTensor(Path.Combine(data, "output_0.pb"));
        var inputTensor = input.Type == TensorProto.Types.DataType.Float
            ? FloatTensor.FromValues(input.Floats("input", Fail), input.Dims)
            : new FloatTensor(0);
        return new OnnxNodeTest(name, model.ToByteArray(), inputTensor, expected);
    }

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
