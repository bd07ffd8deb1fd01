using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Cli;

/// <summary><c>mlprune prune</c> end to end on a tiny generated CSV, with an mlp:4-8-2 (58 parameters: 4*8+8 + 8*2+2).</summary>
[TestClass]
public sealed class PruneCommandTests
{
    [TestMethod]
    public void Prune_TinyCsv_SavesSmallerOnnxModelAndReports()
    {
        using var directory = new TempDirectory();
        string csv = CliRun.WriteSeparableCsv(directory);
        string onnx = directory.File("pruned.onnx"), json = directory.File("report.json"), html = directory.File("report.html");

        var run = CliRun.Of("prune", "--model", "mlp:4-8-2", "--data", csv, "--train-epochs", "1", "--method", "l1", "--rate", "0.5",
            "--budget", "100", "--no-latency", "--output", onnx, "--report", json, "--html", html);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual(string.Empty, run.Error);
        StringAssert.Contains(run.Output, "data: " + csv + ", 160 training and 40 test samples of shape [4], 2 classes");
        // Half of dense1's 8 units go: 4*4+4 + 4*2+2 = 30 parameters.
        var pruned = OnnxModel.Load(onnx);
        Assert.AreEqual(30, pruned.ParameterCount);
        var report = PruningReport.Load(json);
        Assert.AreEqual(58, report.Baseline.Parameters);
        Assert.AreEqual(30, report.Final.Parameters);
        Assert.AreEqual(1, report.Steps.Count);
        Assert.IsFalse(report.Cancelled);
        StringAssert.Contains(File.ReadAllText(html), "<svg");
        StringAssert.Contains(run.Output, "parameters: 58 before, 30 after");
        StringAssert.Contains(run.Output, "pruned model: " + onnx);
    }

    [TestMethod]
    public void Prune_CancelledAfterTheFirstStep_SavesTheBestModelSoFarAndExits130()
    {
        using var directory = new TempDirectory();
        string csv = CliRun.WriteSeparableCsv(directory);
        string onnx = directory.File("pruned.onnx"), json = directory.File("report.json");
        using var cancellation = new CancellationTokenSource();
        using var output = new CancellingWriter("step 0: accuracy", cancellation);

        var run = CliRun.Of(output, cancellation.Token, "prune", "--model", "mlp:4-8-2", "--data", csv, "--train-epochs", "1", "--method", "l1",
            "--schedule", "fixed", "--rate", "0.25", "--steps", "4", "--budget", "100", "--no-latency", "--output", onnx, "--report", json);

        Assert.AreEqual(130, run.ExitCode, run.ToString());
        // Step 0 removed 2 of dense1's 8 units and was kept: 4*6+6 + 6*2+2 = 44 parameters; steps 1 to 3 never ran.
        Assert.AreEqual(44, OnnxModel.Load(onnx).ParameterCount);
        var report = PruningReport.Load(json);
        Assert.IsTrue(report.Cancelled);
        Assert.AreEqual(1, report.Steps.Count);
        StringAssert.Contains(run.Output, "cancelled: the best model so far");
    }

    [TestMethod]
    public void Prune_CsvFeaturesStandardized_SavedModelScoresRawFeaturesAsPrinted()
    {
        // Features near 100 and 1000: the model trains on standardized ones, and the saved model must take the raw ones.
        using var directory = new TempDirectory();
        string[] lines = File.ReadAllLines(CliRun.WriteSeparableCsv(directory, "centred.csv"));
        string csv = directory.WriteText("shifted.csv", string.Join('\n', lines.Select((line, i) => i == 0 ? line : Shift(line))) + "\n");
        string onnx = directory.File("pruned.onnx");

        var run = CliRun.Of("prune", "--model", "mlp:4-8-2", "--data", csv, "--train-epochs", "20", "--learning-rate", "0.03", "--method", "l1", "--rate", "0.25", "--fine-tune-epochs", "10",
            "--budget", "100", "--no-latency", "--output", onnx);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Output, "folded into the first layer");
        // The CLI holds out the test rows with Split(0.8, seed 1); the saved model scores them raw as the CLI printed.
        var (_, test) = CsvLoader.Load(csv).Split(0.8, 1);
        double accuracy = Evaluator.Evaluate(OnnxModel.Load(onnx), test).Accuracy;
        Assert.IsTrue(accuracy >= 0.9, $"the model learned the separable classes: accuracy {accuracy}\n{run}");
        StringAssert.Contains(run.Output, $"{accuracy:P2} after;");

        static string Shift(string line)
        {
            var cells = line.Split(',');
            return string.Join(',', cells[..^1].Select((c, i) => (double.Parse(c, System.Globalization.CultureInfo.InvariantCulture) + (i % 2 == 0 ? 100 : 1000)).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(cells[^1]));
        }
    }

    [TestMethod]
    public void Prune_FirstLineIsNotAHeader_SkipLinesAndNoHeaderReadTheRows()
    {
        // scikit-learn's breast_cancer.csv layout: a line of counts and class names, then rows without a header.
        using var directory = new TempDirectory();
        string rows = File.ReadAllText(CliRun.WriteSeparableCsv(directory, "with-header.csv", rows: 40));
        string csv = directory.WriteText("counts.csv", "40,4,no,yes\n" + rows[(rows.IndexOf('\n') + 1)..]);
        string[] common = ["prune", "--model", "mlp:4-3-2", "--data", csv, "--train-epochs", "1", "--budget", "100", "--no-latency", "--output", directory.File("x.onnx")];

        var plain = CliRun.Of(common);
        var skipped = CliRun.Of([.. common, "--skip-lines", "1", "--no-header"]);

        Assert.AreEqual(1, plain.ExitCode, plain.ToString());
        StringAssert.Contains(plain.Error, "--skip-lines 1");
        Assert.AreEqual(0, skipped.ExitCode, skipped.ToString());
        StringAssert.Contains(skipped.Output, "32 training and 8 test samples of shape [4], 2 classes");
    }

    [TestMethod]
    public void Prune_OutputEndsInMlnp_SavesTheNativeFormatThatInfoReads()
    {
        // Issue 13 item 13: before, -o x.mlnp wrote ONNX that 'info' could not read.
        using var directory = new TempDirectory();
        string csv = CliRun.WriteSeparableCsv(directory, rows: 40);
        string native = directory.File("pruned.mlnp");

        var run = CliRun.Of("prune", "--model", "mlp:4-8-2", "--data", csv, "--train-epochs", "1", "--method", "l1", "--budget", "100", "--no-latency", "--output", native);
        var info = CliRun.Of("info", native);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual(30, NetworkSerializer.Load(native).ParameterCount);
        Assert.AreEqual(0, info.ExitCode, info.ToString());
        StringAssert.Contains(info.Output, "30 parameters");
    }
}
