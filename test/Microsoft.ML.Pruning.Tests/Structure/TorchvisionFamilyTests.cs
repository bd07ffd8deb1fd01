using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Structure;
using Microsoft.ML.Pruning.Tests.Onnx;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Structure;

/// <summary>
/// The nine torchvision families users bring (issue 12): each imports as PyTorch computes it, and structural pruning
/// at 50 % of every prunable group, by L1 filter norm and by first-order Taylor, gives a smaller network that runs,
/// exports with the same operators, passes onnx.checker's full check and computes in ONNX Runtime what the engine computes.
/// </summary>
[TestClass]
public sealed class TorchvisionFamilyTests
{
    private const double ImportTolerance = 1e-4;
    private const double RuntimeTolerance = 1e-5;

    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> Models => TorchvisionFixtures.ModelNames;

    public static IEnumerable<object[]> Families => TorchvisionFixtures.FamilyNames;

    [TestMethod]
    [DynamicData(nameof(Models))]
    public void Import_TorchvisionModel_MatchesPyTorchWithin1e4Relative(string name)
    {
        var (path, input, expected) = TorchvisionFixtures.Get(name);

        var network = OnnxModel.Load(path);

        double difference = TorchvisionFixtures.RelativeDifference(expected, network.Forward(input));
        TestContext.WriteLine($"{name}: import difference {difference:E2}");
        Assert.IsTrue(difference <= ImportTolerance, $"{name}: the import differs from PyTorch by {difference:E2} relative (> {ImportTolerance:E0}).");
    }

    [TestMethod]
    [DynamicData(nameof(Families))]
    public void Prune_HalfOfEveryGroupByL1AndTaylor_RunsExportsAndMatchesOnnxRuntime(string family)
    {
        var (path, input, _) = TorchvisionFixtures.Get($"{family}_opset13");
        var original = OnnxModel.Load(path);
        var copies = new Queue<Network>([OnnxModel.Load(path), OnnxModel.Load(path)]);
        var groups = PruningGroups.Find(original);
        var skipped = PruningGroups.FindSkipped(original);
        Assert.IsTrue(groups.Count > 0, $"{family}: no prunable group; skipped: {string.Join("; ", skipped)}");
        var calibration = Dataset.FromArray(input.Span.ToArray(), input.Shape[1..], Enumerable.Range(0, input.Shape[0]).ToArray(), original.OutputShape[0]);
        string[] operators = TorchvisionFixtures.Operators(path);

        using var folder = new TempDirectory();
        var exported = new List<string>();
        foreach (IImportance importance in new IImportance[] { new WeightNormImportance(WeightNorm.L1), new TaylorImportance() })
        {
            var network = copies.Dequeue();
            int removed = new StructuredPruning(importance).Apply(network, 0.5, calibration);
            string what = $"{family}, {importance.Name}";
            Assert.IsTrue(removed > 0, $"{what}: nothing removed");
            Assert.IsTrue(network.ParameterCount < original.ParameterCount, $"{what}: parameters {network.ParameterCount:N0}, before {original.ParameterCount:N0}");
            Assert.IsTrue(network.MultiplyAdds < original.MultiplyAdds, $"{what}: multiply-adds {network.MultiplyAdds:N0}, before {original.MultiplyAdds:N0}");
            var output = network.Forward(input).Clone();
            Assert.IsTrue(output.Span.ToArray().All(float.IsFinite), $"{what}: the pruned network's output is not finite");

            string file = folder.File($"{family}-{exported.Count}.onnx");
            OnnxModel.Save(network, file);
            exported.Add(file);
            var missing = TorchvisionFixtures.Operators(file).Except(operators).Except(Equivalents(operators)).ToArray();
            Assert.AreEqual(0, missing.Length, $"{what}: the export writes operators the original does not have: {string.Join(", ", missing)}");
            double runtime = TorchvisionFixtures.RelativeDifference(output, TorchvisionFixtures.RunOnnxRuntime(file, input));
            Assert.IsTrue(runtime <= RuntimeTolerance, $"{what}: ONNX Runtime on the exported file differs by {runtime:E2} relative (> {RuntimeTolerance:E0}).");
            TestContext.WriteLine($"{what}: {groups.Count} groups ({skipped.Count} skipped), {removed} units removed, parameters {original.ParameterCount:N0} -> {network.ParameterCount:N0}, " +
                $"MACs {original.MultiplyAdds:N0} -> {network.MultiplyAdds:N0}, ORT difference {runtime:E2}");
        }

        OnnxTools.AssertCheckerAccepts(exported);
    }

    // The importer reads ReduceMean over the spatial axes (MNASNet, ShuffleNetV2) as global average pooling, which the
    // exporter writes as GlobalAveragePool (and Flatten when ReduceMean dropped the axes): the same computation.
    private static IEnumerable<string> Equivalents(string[] operators) =>
        operators.Contains("ReduceMean") ? ["GlobalAveragePool", "Flatten"] : [];
}
