using System.Text.Json;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Tests.Onnx;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Structure;

/// <summary>
/// The nine torchvision families exported by test/fixtures/torchvision/generate.py into build/data/torchvision, which
/// build/setup.d/torchvision.sh generates and caches (they are too large to commit). A missing folder fails the test
/// with the command to run; it never skips.
/// </summary>
internal static class TorchvisionFixtures
{
    /// <summary>The setup script that generates the models.</summary>
    public const string SetupScript = "build/setup.d/torchvision.sh";

    /// <summary>The families, in the generator's order.</summary>
    public static readonly string[] Families =
        ["resnet18", "regnet_x_400mf", "mobilenet_v2", "squeezenet1_1", "densenet121", "googlenet", "efficientnet_b0", "mnasnet0_5", "shufflenet_v2_x0_5"];

    /// <summary>Gets the folder of the generated models.</summary>
    public static string Folder { get; } = Path.Combine(OnnxTools.RepositoryRoot, "build", "data", "torchvision");

    /// <summary>Gets every exported model name (family and opset), as MSTest data rows.</summary>
    public static IEnumerable<object[]> ModelNames => Families.SelectMany(f => new[] { 13, 17 }.Select(opset => new object[] { $"{f}_opset{opset}" }));

    /// <summary>Gets the families, as MSTest data rows.</summary>
    public static IEnumerable<object[]> FamilyNames => Families.Select(f => new object[] { f });

    /// <summary>Reads one exported model with its input batch and PyTorch's output.</summary>
    /// <param name="name">The model name, such as <c>resnet18_opset13</c>.</param>
    /// <param name="folder">The folder of the generated models and their manifest.json; <see cref="Folder"/> when null.</param>
    /// <param name="setupScript">The script that generates that folder; <see cref="SetupScript"/> when null.</param>
    /// <returns>The model file, the input and the expected output.</returns>
    public static (string Path, FloatTensor Input, FloatTensor Expected) Get(string name, string? folder = null, string? setupScript = null)
    {
        folder ??= Folder;
        string manifest = System.IO.Path.Combine(folder, "manifest.json");
        if (!File.Exists(manifest))
        {
            Assert.Fail($"The torchvision models are not generated: {manifest} is missing; run bash {setupScript ?? SetupScript}.");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        var entry = document.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        int[] Shape(string property) => entry.GetProperty(property).EnumerateArray().Select(d => d.GetInt32()).ToArray();
        string stem = System.IO.Path.Combine(folder, name);
        return (stem + ".onnx", OnnxFixtures.ReadFloats(stem + ".input.bin", Shape("inputShape")), OnnxFixtures.ReadFloats(stem + ".output.bin", Shape("outputShape")));
    }

    /// <summary>Gets the largest difference relative to the largest magnitude of the reference.</summary>
    /// <param name="expected">The reference.</param>
    /// <param name="actual">The values under test, of the same shape.</param>
    /// <returns>max |actual - expected| / max |expected|.</returns>
    public static double RelativeDifference(FloatTensor expected, FloatTensor actual)
    {
        Assert.IsTrue(actual.HasShape(expected.Shape), $"shape {FloatTensor.FormatShape(actual.Shape)} differs from {FloatTensor.FormatShape(expected.Shape)}");
        double worst = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs((double)actual.Span[i] - expected.Span[i]);
            worst = double.IsNaN(difference) ? double.PositiveInfinity : Math.Max(worst, difference);
            scale = Math.Max(scale, Math.Abs(expected.Span[i]));
        }

        return worst / Math.Max(scale, float.Epsilon);
    }

    /// <summary>Gets the operator types of an ONNX file's graph.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The distinct operator types, sorted.</returns>
    public static string[] Operators(string path) =>
        Microsoft.ML.Pruning.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Node.Select(n => n.OpType).Distinct().Order().ToArray();

    /// <summary>Runs an ONNX file in ONNX Runtime (in process) on one batch.</summary>
    /// <param name="path">The file, with input <c>input</c>.</param>
    /// <param name="input">The batch.</param>
    /// <returns>The first output.</returns>
    public static FloatTensor RunOnnxRuntime(string path, FloatTensor input)
    {
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 1 };
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path, options);
        var tensor = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(input.Span.ToArray(), input.Shape);
        using var results = session.Run([Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), tensor)]);
        var output = results.First().AsTensor<float>();
        return FloatTensor.FromValues(output.ToArray(), output.Dimensions.ToArray());
    }
}
