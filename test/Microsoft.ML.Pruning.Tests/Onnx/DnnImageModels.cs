using System.Reflection;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// The models of ML.NET's NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0, which the test project restores
/// (a PackageDownload) and whose folder it records in the assembly metadata <c>DnnImageModels</c>: ResNet18 exported by
/// CNTK 2.6 at IR 3, opset 8 (input <c>Input247</c> [1, 3, 224, 224], output <c>Pooling395_Output_0</c> [1, 512, 1, 1]),
/// and the preprocessing graph that ML.NET runs before it (RGB to BGR, minus a mean image).
/// </summary>
internal static class DnnImageModels
{
    /// <summary>Gets the package's model folder.</summary>
    public static string Folder { get; } = typeof(DnnImageModels).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "DnnImageModels").Value!;

    /// <summary>Gets the ResNet18 backbone file.</summary>
    public static string ResNet18 => Existing(Path.Combine(Folder, "ResNet18Onnx", "ResNet18.onnx"));

    /// <summary>Gets the preprocessing file.</summary>
    public static string Preprocess => Existing(Path.Combine(Folder, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));

    /// <summary>Returns a deterministic batch of one 224x224 RGB image of pixel values in [0, 255], as ML.NET's ExtractPixels gives them.</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>The batch [1, 3, 224, 224].</returns>
    public static FloatTensor Pixels(int seed)
    {
        var random = new Random(seed);
        var values = new float[3 * 224 * 224];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(256);
        }

        return FloatTensor.FromValues(values, 1, 3, 224, 224);
    }

    private static string Existing(string path)
    {
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing: the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0 is not restored; run dotnet restore (bash build/setup.sh).");
        }

        return path;
    }
}
