using System.Text.RegularExpressions;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// Runs the ONNX node conformance tests (Debian's libonnx-testdata) of the operators the importer implements, at
/// ONNX's default tolerances; every selected test must pass or be listed, with its reason, in
/// <see cref="ConformanceExclusions"/> (and then fail to import with <see cref="OnnxImportException"/>).
/// </summary>
[TestClass]
public sealed partial class OnnxConformanceTests
{
    /// <summary>ONNX's default relative tolerance for node tests.</summary>
    public const double RelativeTolerance = 1e-3;

    /// <summary>ONNX's default absolute tolerance for node tests.</summary>
    public const double AbsoluteTolerance = 1e-7;

    /// <summary>Gets the context, for logging the counts.</summary>
    public TestContext TestContext { get; set; } = null!;

    /// <summary>Every selected node test passes, or is listed as excluded and fails to import with a typed error.</summary>
    [TestMethod]
    public void NodeTests_OfImplementedOperators_PassOrAreListedAsExcluded()
    {
        if (!Directory.Exists(OnnxNodeTest.Root))
        {
            Assert.Fail($"{OnnxNodeTest.Root} is missing (Debian's libonnx-testdata); run {OnnxTools.InstallScript}.");
        }

        var selected = Directory.GetDirectories(OnnxNodeTest.Root).Select(Path.GetFileName).OfType<string>()
            .Where(name => SelectedTests().IsMatch(name))
            .Concat(SelectedPyTorchTests())
            .Order(StringComparer.Ordinal).ToList();
        var failures = new List<string>();
        int passed = 0;
        foreach (string name in selected)
        {
            string? failure = ConformanceExclusions.Reasons.ContainsKey(name) ? CheckExcluded(name) : CheckPasses(name);
            if (failure is null)
            {
                passed += ConformanceExclusions.Reasons.ContainsKey(name) ? 0 : 1;
            }
            else
            {
                failures.Add($"{name}: {failure}");
            }
        }

        var stale = ConformanceExclusions.Reasons.Keys.Except(selected).ToList();
        failures.AddRange(stale.Select(name => $"{name}: listed in ConformanceExclusions but not a selected node test."));
        TestContext.WriteLine($"{selected.Count} selected node tests: {passed} passed, {ConformanceExclusions.Reasons.Count} excluded.");
        Assert.AreEqual(0, failures.Count, "\n" + string.Join("\n", failures));
        Assert.AreEqual(selected.Count, passed + ConformanceExclusions.Reasons.Count);
    }

    /// <summary>Returns why a test that should pass does not, or <see langword="null"/> when it passes.</summary>
    private static string? CheckPasses(string name)
    {
        var test = OnnxNodeTest.Load(name);
        try
        {
            var network = test.Import();
            var output = network.Forward(test.Input);
            if (!output.Shape.SequenceEqual(test.Expected.Dims))
            {
                return $"output shape [{string.Join(", ", output.Shape)}] differs from the expected {test.Expected.FormatDims()}.";
            }

            TensorAssert.AllClose(test.Expected.Floats("output", r => new OnnxImportException(null, null, null, r)), output.Span, RelativeTolerance, AbsoluteTolerance, name);
            return null;
        }
        catch (OnnxImportException ex)
        {
            return $"import failed: {ex.Message}";
        }
        catch (AssertFailedException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Returns why an excluded test is wrongly listed (it imports), or <see langword="null"/> when it fails to import.</summary>
    private static string? CheckExcluded(string name)
    {
        var test = OnnxNodeTest.Load(name);
        try
        {
            test.Import();
            return "listed as excluded, but it imports; run it instead (remove it from ConformanceExclusions).";
        }
        catch (OnnxImportException)
        {
            return null;
        }
    }

    /// <summary>
    /// Returns the old PyTorch exports (opset 6; pytorch-converted and pytorch-operator) whose every operator the
    /// importer implements, named with their folder.
    /// </summary>
    private static IEnumerable<string> SelectedPyTorchTests() =>
        OnnxNodeTest.PyTorchFolders
            .SelectMany(folder => Directory.GetDirectories(Path.Combine(OnnxNodeTest.DataRoot, folder)).Select(path => $"{folder}/{Path.GetFileName(path)}"))
            .Where(name => File.Exists(Path.Combine(OnnxNodeTest.DataRoot, name, "model.onnx"))
                && OnnxNodeTest.ReadModel(name).Graph.Node.All(node => OnnxModel.SupportedOperators.Contains(node.OpType)));

    [GeneratedRegex(@"^test_(add(_.*)?|averagepool_.*|basic_conv_with(out)?_padding|conv_with_.*|batchnorm_.*|(training_)?dropout.*|flatten_.*|gemm_.*|globalaveragepool.*|identity.*|leakyrelu.*|maxpool_.*|relu|reshape_.*|sigmoid.*|softmax_.*|tanh.*"
        + @"|concat_.*|mul(_.*)?|sub(_.*)?|div(_.*)?|clip(_.*)?|hardsigmoid.*|hardswish.*|elu(_.*)?|reduce_mean_.*|constant_pad|split_.*|slice.*)$")]
    private static partial Regex SelectedTests();
}
