using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Cli;

/// <summary><c>mlprune info</c>: layer names and counts against hand-computed numbers.</summary>
[TestClass]
public sealed class InfoCommandTests
{
    [TestMethod]
    public void Info_MlpArchitecture_ListsLayersWithHandCountedParameters()
    {
        var run = CliRun.Of("info", "mlp:4-3-2");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual(string.Empty, run.Error);
        // dense1: 4*3 weights + 3 biases = 15, 4*3 = 12 multiply-adds; dense2: 3*2 + 2 = 8, 6 multiply-adds.
        CollectionAssert.AreEqual(new[] { "0", "dense1", "Dense", "input", "[3]", "15", "15", "12" }, Row(run.Output, "dense1"));
        CollectionAssert.AreEqual(new[] { "1", "relu1", "Relu", "dense1", "[3]", "0", "0", "0" }, Row(run.Output, "relu1"));
        CollectionAssert.AreEqual(new[] { "2", "dense2", "Dense", "relu1", "[2]", "8", "8", "6" }, Row(run.Output, "dense2"));
        StringAssert.Contains(run.Output, "input [4], output [2], 3 layers, 23 parameters (23 nonzero), 18 multiply-adds per sample");
    }

    [TestMethod]
    public void Info_OnnxFile_CountsConvolutionAndDenseParameters()
    {
        using var directory = new TempDirectory();
        string path = directory.File("small.onnx");
        var network = new NetworkBuilder(2, 6, 6).Conv2d(3, 3).Relu().Flatten().Dense(2).Build(seed: 1);
        network.Nodes[0].Layer.Parameters[0].Value.Span[0] = 0; // one zero weight shows in the nonzero count
        OnnxModel.Save(network, path);

        var run = CliRun.Of("info", path);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        // conv: 3 filters of 2x3x3 + 3 biases = 57, 3*4*4 outputs of 2*3*3 multiply-adds = 864;
        // dense: (3*4*4)*2 + 2 = 98, 96 multiply-adds. Total 155 parameters, 154 nonzero, 960 multiply-adds.
        string conv = network.Nodes[0].Layer.Name, dense = network.Nodes[^1].Layer.Name;
        CollectionAssert.AreEqual(new[] { "[3, 4, 4]", "57", "56", "864" }, Row(run.Output, conv)[4..]);
        CollectionAssert.AreEqual(new[] { "[2]", "98", "98", "96" }, Row(run.Output, dense)[4..]);
        StringAssert.Contains(run.Output, "input [2, 6, 6], output [2], 4 layers, 155 parameters (154 nonzero), 960 multiply-adds per sample");
    }

    /// <summary>The cells of the table row whose layer column is <paramref name="layer"/>.</summary>
    private static string[] Row(string output, string layer)
    {
        foreach (string line in output.Split('\n'))
        {
            var cells = line.Split('│', StringSplitOptions.TrimEntries).Where(c => c.Length > 0).ToArray();
            if (cells.Length > 1 && cells[1] == layer)
            {
                return cells;
            }
        }

        Assert.Fail($"No row for layer '{layer}' in:\n{output}");
        return [];
    }
}
