using System.Text.Json;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Tests.TestSupport;

/// <summary>
/// One PyTorch reference case written by <c>test/fixtures/generate.py</c>: a JSON file holding the case's kind, its
/// layer configuration and named float32 tensors (inputs, parameters, outputs and gradients).
/// </summary>
internal sealed class TorchFixture
{
    private readonly JsonElement _config;
    private readonly Dictionary<string, (int[] Shape, float[] Data)> _tensors;

    private TorchFixture(string name, JsonElement root)
    {
        Name = name;
        Kind = root.GetProperty("kind").GetString()!;
        _config = root.GetProperty("config").Clone();
        ParameterOrder = ReadNames(root, "parameter_order");
        BufferOrder = ReadNames(root, "buffer_order");
        _tensors = new Dictionary<string, (int[], float[])>(StringComparer.Ordinal);
        foreach (var tensor in root.GetProperty("tensors").EnumerateObject())
        {
            int[] shape = tensor.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            float[] data = tensor.Value.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            if (data.Length != global::Microsoft.ML.Pruning.Tensors.FloatTensor.ComputeLength(shape))
            {
                throw new InvalidDataException($"Fixture '{name}': tensor '{tensor.Name}' has {data.Length} values for shape {(global::Microsoft.ML.Pruning.Tensors.FloatTensor.FormatShape(shape))}.");
            }

            _tensors.Add(tensor.Name, (shape, data));
        }
    }

    /// <summary>Gets the folder the fixtures are copied to next to the test assembly.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "fixtures", "torch");

    /// <summary>Gets the case name (the file name without extension).</summary>
    public string Name { get; }

    /// <summary>Gets the kind of layer or network the case exercises, such as <c>conv2d</c>.</summary>
    public string Kind { get; }

    /// <summary>Gets, for network cases, the PyTorch parameter names in the order of <c>Network.Parameters</c>.</summary>
    public IReadOnlyList<string> ParameterOrder { get; }

    /// <summary>Gets, for network cases, the running-statistics names in the order of the BatchNorm layers.</summary>
    public IReadOnlyList<string> BufferOrder { get; }

    /// <summary>Gets the names of the committed cases.</summary>
    /// <returns>The file names without extension, sorted.</returns>
    public static IReadOnlyList<string> CaseNames() =>
        System.IO.Directory.GetFiles(Directory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray()!;

    /// <summary>Reads a case.</summary>
    /// <param name="name">The case name.</param>
    /// <returns>The fixture.</returns>
    public static TorchFixture Load(string name) => LoadFile(Path.Combine(Directory, name + ".json"));

    /// <summary>Reads a case from another fixture folder copied next to the test assembly, such as <c>pruning</c>.</summary>
    /// <param name="folder">The folder under <c>test/fixtures</c>.</param>
    /// <param name="name">The case name.</param>
    /// <returns>The fixture.</returns>
    public static TorchFixture Load(string folder, string name) =>
        LoadFile(Path.Combine(AppContext.BaseDirectory, "fixtures", folder, name + ".json"));

    private static TorchFixture LoadFile(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return new TorchFixture(Path.GetFileNameWithoutExtension(path), document.RootElement);
    }

    /// <summary>Returns whether the case stores a tensor of that name.</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool Has(string name) => _tensors.ContainsKey(name);

    /// <summary>Returns a fresh copy of a stored tensor.</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns>The tensor with its PyTorch shape.</returns>
    public FloatTensor FloatTensor(string name)
    {
        if (!_tensors.TryGetValue(name, out var stored))
        {
            throw new KeyNotFoundException($"Fixture '{Name}' has no tensor '{name}' (it has {string.Join(", ", _tensors.Keys)}).");
        }

        return global::Microsoft.ML.Pruning.Tensors.FloatTensor.FromValues(stored.Data, stored.Shape);
    }

    /// <summary>Reads an integer from the configuration.</summary>
    /// <param name="key">The configuration key.</param>
    /// <returns>The value.</returns>
    public int Int(string key) => _config.GetProperty(key).GetInt32();

    /// <summary>Reads a string configuration value.</summary>
    /// <param name="key">The configuration key.</param>
    /// <returns>The value.</returns>
    public string String(string key) => _config.GetProperty(key).GetString()!;

    /// <summary>Reads a float from the configuration.</summary>
    /// <param name="key">The configuration key.</param>
    /// <returns>The value.</returns>
    public float Float(string key) => _config.GetProperty(key).GetSingle();

    /// <summary>Reads a Boolean from the configuration.</summary>
    /// <param name="key">The configuration key.</param>
    /// <returns>The value.</returns>
    public bool Bool(string key) => _config.GetProperty(key).GetBoolean();

    /// <summary>Reads an integer list from the configuration.</summary>
    /// <param name="key">The configuration key.</param>
    /// <returns>The values.</returns>
    public int[] Ints(string key) => _config.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static string[] ReadNames(JsonElement root, string property) =>
        root.TryGetProperty(property, out var names) ? names.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];
}
