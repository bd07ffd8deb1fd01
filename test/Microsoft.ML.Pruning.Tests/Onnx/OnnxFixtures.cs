using System.Text.Json;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>The PyTorch reference models of test/fixtures/onnx (written by generate.py) and their inputs and outputs.</summary>
internal static class OnnxFixtures
{
    /// <summary>Gets the folder holding the fixtures copied beside the test assembly.</summary>
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "fixtures", "onnx");

    /// <summary>Gets the reference models listed in manifest.json.</summary>
    public static IReadOnlyList<ReferenceModel> Models { get; } = ReadManifest();

    /// <summary>Gets the reference models as MSTest data rows (the model name).</summary>
    public static IEnumerable<object[]> ModelNames => Models.Select(m => new object[] { m.Name });

    /// <summary>Finds a reference model by name.</summary>
    /// <param name="name">The model name.</param>
    /// <returns>The model.</returns>
    public static ReferenceModel Get(string name) => Models.Single(m => m.Name == name);

    private static List<ReferenceModel> ReadManifest()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")));
        return document.RootElement.EnumerateArray().Select(e => new ReferenceModel(
            e.GetProperty("name").GetString()!,
            e.GetProperty("opset").GetInt32(),
            e.GetProperty("inputShape").EnumerateArray().Select(d => d.GetInt32()).ToArray(),
            e.GetProperty("outputShape").EnumerateArray().Select(d => d.GetInt32()).ToArray())).ToList();
    }

    /// <summary>Reads a raw little-endian float32 file as a tensor.</summary>
    /// <param name="path">The file.</param>
    /// <param name="shape">The shape.</param>
    /// <returns>The tensor.</returns>
    public static FloatTensor ReadFloats(string path, int[] shape)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BitConverter.ToSingle(bytes, i * sizeof(float));
        }

        return FloatTensor.FromValues(values, shape);
    }
}

/// <summary>A reference model exported from PyTorch, with a batch of inputs and PyTorch's outputs.</summary>
/// <param name="Name">The model name (file stem).</param>
/// <param name="Opset">The operator set it was exported at.</param>
/// <param name="InputShape">The batch input shape.</param>
/// <param name="OutputShape">The batch output shape.</param>
internal sealed record ReferenceModel(string Name, int Opset, int[] InputShape, int[] OutputShape)
{
    /// <summary>Gets the .onnx file.</summary>
    public string ModelPath => Path.Combine(OnnxFixtures.Folder, Name + ".onnx");

    /// <summary>Reads the input batch.</summary>
    /// <returns>The inputs.</returns>
    public FloatTensor ReadInput() => OnnxFixtures.ReadFloats(Path.Combine(OnnxFixtures.Folder, Name + ".input.bin"), InputShape);

    /// <summary>Reads PyTorch's outputs.</summary>
    /// <returns>The outputs.</returns>
    public FloatTensor ReadOutput() => OnnxFixtures.ReadFloats(Path.Combine(OnnxFixtures.Folder, Name + ".output.bin"), OutputShape);
}
