using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Cli;

/// <summary><c>mlprune sensitivity</c>: one row per prunable layer, one column per rate, and the CSV.</summary>
[TestClass]
public sealed class SensitivityCommandTests
{
    [TestMethod]
    public void Sensitivity_TinyCsv_PrintsAndSavesOnePointPerLayerAndRate()
    {
        using var directory = new TempDirectory();
        string csv = CliRun.WriteSeparableCsv(directory), points = directory.File("points.csv");

        var run = CliRun.Of("sensitivity", "--model", "mlp:4-8-6-2", "--data", csv, "--train-epochs", "1", "--method", "l1", "--rates", "0.25,0.5", "--csv", points);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Output, "baseline test accuracy:");
        var lines = File.ReadAllLines(points);
        Assert.AreEqual("layer,rate,accuracy,accuracy_drop", lines[0]);
        CollectionAssert.AreEqual(new[] { "dense1,0.25", "dense1,0.5", "dense2,0.25", "dense2,0.5" }, lines[1..].Select(l => string.Join(',', l.Split(',')[..2])).ToArray());
        Assert.IsTrue(run.Output.Split('\n').Any(l => l.Contains("│ dense2 ", StringComparison.Ordinal)), run.Output);
    }

    [TestMethod]
    public void Sensitivity_WithoutRates_SweepsTheNineRatesItsHelpPromises()
    {
        // Issue 19 item 15: without --rates it trained, then failed with "error: At least one rate is needed."
        using var directory = new TempDirectory();
        string csv = CliRun.WriteSeparableCsv(directory), points = directory.File("points.csv");

        var run = CliRun.Of("sensitivity", "--model", "mlp:4-8-2", "--data", csv, "--train-epochs", "1", "--method", "l1", "--csv", points);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        CollectionAssert.AreEqual(new[] { "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9" }, File.ReadAllLines(points)[1..].Select(l => l.Split(',')[1]).ToArray());
    }

    [TestMethod]
    public void Sensitivity_OfAModelFile_SweepsItAsItIs_EvenOnOneTrainingRow()
    {
        // A model file needs no model stage: the sweep measures it as it is, so one training row (too few to hold rows out of) is enough.
        using var directory = new TempDirectory();
        string csv = CliRun.WriteSeparableCsv(directory, rows: 2), points = directory.File("points.csv"), model = directory.File("model.onnx");
        OnnxModel.Save(new NetworkBuilder(4).Dense(6).Relu().Dense(2).Build(seed: 1), model);

        var run = CliRun.Of("sensitivity", "--model", model, "--data", csv, "--test-fraction", "0.5", "--method", "l1", "--rates", "0.5", "--csv", points);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        CollectionAssert.AreEqual(new[] { "dense1,0.5" }, File.ReadAllLines(points)[1..].Select(l => string.Join(',', l.Split(',')[..2])).ToArray(), run.ToString());
    }
}
