using System.Globalization;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Cli;

/// <summary>Issue 13 item 10: an imported model gets its data as they are unless asked; a normalization that is applied travels with the saved model.</summary>
[TestClass]
public sealed class PruneNormalizationTests
{
    [TestMethod]
    public void Prune_ImportedModelOnCsv_ByDefaultMeasuresTheRawFeaturesTheModelWasMadeFor()
    {
        // A hand-built model that separates the shifted rows exactly on raw features (the sum of the features against 2200),
        // and fails on standardized ones. Before the fix the default standardized them: 50 % "before" instead of 100 %.
        using var directory = new TempDirectory();
        string csv = ShiftedCsv(directory);
        string model = directory.File("raw.onnx");
        OnnxModel.Save(RawSumModel(), model);

        var run = CliRun.Of("prune", "--model", model, "--data", csv, "--method", "l1", "--rate", "0.5", "--fine-tune-epochs", "0",
            "--budget", "100", "--no-latency", "--output", directory.File("pruned.onnx"));

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Output, "test accuracy: 100.00 % before");
        Assert.IsFalse(run.Output.Contains("standardization", StringComparison.Ordinal), run.Output);
    }

    [TestMethod]
    public void Prune_ConvolutionFirstModelStandardized_SavedModelTakesRawFeaturesAndScoresAsPrinted()
    {
        // Four channels of 1x1 images (the CSV row reshaped). Before the fix the scaling of a conv-first model was saved nowhere.
        using var directory = new TempDirectory();
        string csv = ShiftedCsv(directory);
        string model = directory.File("conv.onnx"), pruned = directory.File("pruned.onnx");
        OnnxModel.Save(new NetworkBuilder(4, 1, 1).Conv2d(8, 1).Relu().Flatten().Dense(2).Build(seed: 3), model);

        var run = CliRun.Of("prune", "--model", model, "--data", csv, "--normalize", "standardize", "--learning-rate", "0.03", "--method", "l1",
            "--rate", "0.25", "--fine-tune-epochs", "10", "--budget", "100", "--no-latency", "--output", pruned);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Output, "carried by a BatchNorm layer");
        var saved = OnnxModel.Load(pruned);
        Assert.IsInstanceOfType<BatchNorm>(saved.Nodes[0].Layer);
        var (_, test) = CsvLoader.Load(csv).Split(0.8, 1);
        double accuracy = Evaluator.Evaluate(saved, test.Reshape(4, 1, 1)).Accuracy;
        StringAssert.Contains(run.Output, $"{accuracy.ToString("P2", CultureInfo.InvariantCulture)} after;");
        Assert.IsTrue(accuracy >= 0.9, $"fine-tuning learned the separable classes: {accuracy}\n{run}");
    }

    /// <summary>The separable CSV with features shifted by 100 and 1000 in turn (their shifts sum to 2200).</summary>
    private static string ShiftedCsv(TempDirectory directory)
    {
        string[] lines = File.ReadAllLines(CliRun.WriteSeparableCsv(directory, "centred.csv"));
        return directory.WriteText("shifted.csv", string.Join('\n', lines.Select((line, i) => i == 0 ? line : Shift(line))) + "\n");

        static string Shift(string line)
        {
            var cells = line.Split(',');
            return string.Join(',', cells[..^1].Select((c, i) => (double.Parse(c, CultureInfo.InvariantCulture) + (i % 2 == 0 ? 100 : 1000)).ToString(CultureInfo.InvariantCulture)).Append(cells[^1]));
        }
    }

    /// <summary>4 -> 2 (ReLU) -> 2: hidden unit 0 is relu(Σx − 2200), unit 1 relu(2200 − Σx); the logits are (unit 1, unit 0).</summary>
    private static Network RawSumModel()
    {
        var network = new NetworkBuilder(4).Dense(2).Relu().Dense(2).Build(seed: 1);
        var dense = network.Nodes.Select(n => n.Layer).OfType<Dense>().ToArray();
        dense[0].Weight.Value.Span[..4].Fill(1);
        dense[0].Weight.Value.Span[4..].Fill(-1);
        dense[0].Bias!.Value.Span[0] = -2200;
        dense[0].Bias!.Value.Span[1] = 2200;
        float[] output = [0, 1, 1, 0];
        output.CopyTo(dense[1].Weight.Value.Span);
        dense[1].Bias!.Value.Span.Clear();
        return network;
    }
}
