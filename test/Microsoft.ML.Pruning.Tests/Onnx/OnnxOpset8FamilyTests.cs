using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Tests.Structure;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// The torchvision families exported by PyTorch at ONNX opset 8 (test/fixtures/torchvision/generate_opset8.py, cached in
/// build/data/torchvision-opset8 by build/setup.d/torchvision.sh) import and match ONNX Runtime on the same file
/// and PyTorch's own outputs within 1e-4 of the largest output. A missing folder fails with the command to run.
/// </summary>
[TestClass]
public sealed class OnnxOpset8FamilyTests
{
    /// <summary>The setup script that generates the models.</summary>
    public const string SetupScript = "build/setup.d/torchvision.sh";

    /// <summary>Gets the folder of the generated models.</summary>
    public static string Folder { get; } = Path.Combine(OnnxTools.RepositoryRoot, "build", "data", "torchvision-opset8");

    /// <summary>Gets the families that torch 1.13 exports at opset 8 (all of generate.py's but shufflenet_v2_x0_5), as MSTest data rows.</summary>
    public static IEnumerable<object[]> Families =>
        TorchvisionFixtures.Families.Where(f => f != "shufflenet_v2_x0_5").Select(f => new object[] { f });

    /// <summary>Gets the context, for logging the differences.</summary>
    public TestContext TestContext { get; set; } = null!;

    /// <summary>An opset-8 export imports and matches ONNX Runtime and PyTorch.</summary>
    /// <param name="family">The torchvision family.</param>
    [TestMethod]
    [DynamicData(nameof(Families))]
    public void Load_Opset8TorchvisionExport_MatchesOnnxRuntimeAndPyTorch(string family)
    {
        var (path, input, pytorch) = TorchvisionFixtures.Get($"{family}_opset8", Folder, SetupScript);

        var actual = OnnxModel.Load(path).Forward(input);
        var runtime = TorchvisionFixtures.RunOnnxRuntime(path, input);

        double relative = TorchvisionFixtures.RelativeDifference(runtime, actual);
        double relativeToPyTorch = TorchvisionFixtures.RelativeDifference(pytorch, actual);
        TestContext.WriteLine($"{family} (opset 8, {string.Join(", ", TorchvisionFixtures.Operators(path))}): max |ours - ONNX Runtime| = {OnnxResNet18ImportTests.MaximumAbsoluteDifference(runtime, actual):E2}, relative {relative:E2}; relative to PyTorch {relativeToPyTorch:E2}");
        Assert.IsTrue(relative <= OnnxResNet18ImportTests.Tolerance, $"ONNX Runtime: relative difference {relative:E2}");
        Assert.IsTrue(relativeToPyTorch <= OnnxResNet18ImportTests.Tolerance, $"PyTorch: relative difference {relativeToPyTorch:E2}");
    }
}
