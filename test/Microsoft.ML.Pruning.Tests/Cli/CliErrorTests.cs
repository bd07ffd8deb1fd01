using Google.Protobuf;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Cli;

/// <summary>
/// A user mistake prints exactly one <c>error:</c> line naming the option or file, no stack trace, and exits non-zero:
/// 1 for a bad input (file, model, data), 2 for a command line that does not parse.
/// </summary>
[TestClass]
public sealed class CliErrorTests
{
    /// <summary>Each case: the arguments ({dir} is a temporary folder, {csv} a good CSV in it), the text the error line must hold, the exit code.</summary>
    [TestMethod]
    [DataRow("prune --model mlp:4-8-2 --data {dir}/missing.csv", "missing.csv", 1, DisplayName = "missing data file")]
    [DataRow("info {dir}/missing.onnx", "missing.onnx", 1, DisplayName = "missing model file")]
    [DataRow("info resnet50", "resnet50", 1, DisplayName = "unknown architecture")]
    [DataRow("prune --model mlp:4-x-2 --data {csv}", "'x'", 1, DisplayName = "bad architecture widths")]
    [DataRow("prune --model mlp --rate 1.5", "--rate", 2, DisplayName = "rate out of range")]
    [DataRow("prune --model mlp --rate half", "--rate", 2, DisplayName = "rate not a number")]
    [DataRow("sensitivity --model mlp --rates 0.5,2", "--rates", 2, DisplayName = "sweep rate out of range")]
    [DataRow("prune --model mlp:5-8-2 --data {csv}", "--data", 1, DisplayName = "wrong data shape")]
    [DataRow("prune --model mlp:4-8-2 --data {csv} --layers dense9", "dense9", 1, DisplayName = "unknown layer name")]
    [DataRow("prune --model mlp:4-8-2 --data {csv} --layers relu1", "relu1", 1, DisplayName = "layer that cannot be pruned")]
    [DataRow("info {dir}/corrupt.onnx", "corrupt.onnx", 1, DisplayName = "corrupt ONNX file")]
    [DataRow("prune --model {dir}/corrupt.onnx --data {csv}", "corrupt.onnx", 1, DisplayName = "corrupt ONNX model to prune")]
    [DataRow("report {dir}/notes.json", "notes.json", 1, DisplayName = "report that is not JSON")]
    [DataRow("report {dir}/empty.json", "empty.json", 1, DisplayName = "JSON that is not a report")]
    [DataRow("report {dir}/missing.json", "missing.json", 1, DisplayName = "missing report")]
    [DataRow("prune --model mlp --frobnicate 3", "--frobnicate", 2, DisplayName = "unknown option")]
    [DataRow("frobnicate", "frobnicate", 2, DisplayName = "unknown command")]
    [DataRow("prune --data {csv}", "--model", 2, DisplayName = "missing required option")]
    [DataRow("prune --model mlp --method lottery", "--method", 2, DisplayName = "unknown method")]
    [DataRow("prune --model mlp --aux-units 8", "--aux-units", 2, DisplayName = "option that needs another")]
    [DataRow("prune --model mlp:4-8-2 --data {csv} --output {dir}/no/such/folder/x.onnx", "--output", 1, DisplayName = "output folder missing")]
    [DataRow("prune --model mlp:4-8-2 --data {csv} --label-column 9", "--label-column", 1, DisplayName = "label column out of range")]
    [DataRow("prune --model mlp:4-8-2 --data {dir}/bad-cell.csv", "bad-cell.csv", 1, DisplayName = "CSV cell that is not a number")]
    [DataRow("prune --model mlp:4-8-2 --data {dir}/notes.json", "--data", 1, DisplayName = "data file that is not CSV")]
    [DataRow("prune --model mlp --aux-units 0", "--aux-units", 2, DisplayName = "auxiliary width zero (issue 13 item 12)")]
    [DataRow("prune --model mlp --aux-units abc", "--aux-units", 2, DisplayName = "auxiliary width not a number (item 12)")]
    [DataRow("prune --model mlp --schedule adaptive --aux-units abc", "--aux-units", 2, DisplayName = "auxiliary width not a number, adaptive (item 12)")]
    [DataRow("sensitivity --model mlp --method foo", "--method", 2, DisplayName = "unknown sensitivity method (item 12)")]
    [DataRow("prune --model mlp --schedule sometimes", "--schedule", 2, DisplayName = "unknown schedule (item 12)")]
    [DataRow("prune --model mlp:4-8-2 --data {csv} --output {dir}/a.onnx --report {dir}/a.onnx", "--report", 1, DisplayName = "report where the model goes (item 13)")]
    [DataRow("prune --model {dir}/model.onnx --data {csv} --output {dir}/model.onnx", "is also the --model file", 1, DisplayName = "output over the input model (item 13)")]
    [DataRow("prune --model mlp:4-8-2 --data {csv} --output {dir}/pruned.bin", ".onnx or .mlnp", 1, DisplayName = "output extension that picks no format (item 13)")]
    [DataRow("sensitivity --model mlp:4-8-2 --data {csv} --csv {csv}", "is also the --data file", 1, DisplayName = "sweep CSV over the data (item 13)")]
    [DataRow("report {dir}/report.json --html {dir}/report.json", "--html", 1, DisplayName = "HTML over the report (item 13)")]
    [DataRow("sensitivity --model mlp:4-8-2 --data {csv} --rates 0.5 --csv {dir}/here/tiny.csv", "is also the --data file", 1, DisplayName = "sweep CSV over the data through a linked folder (issue 19 item 16)")]
    [DataRow("prune --model {dir}/model.onnx --data {csv} --output {dir}/here/model.onnx", "is also the --model file", 1, DisplayName = "output over the model through a linked folder (issue 19 item 16)")]
    [DataRow("prune --model mlp:4-8-2 --data {csv} --output /proc/pruned.onnx", "'/proc/pruned.onnx'", 1, DisplayName = "output under /proc (item 14)")]
    [DataRow("prune --model mlp:4-8-2 --data {csv} --output {dir}/fifo.onnx", "not a regular file", 1, DisplayName = "output that is a FIFO (item 15)")]
    [DataRow("prune --model mlp:4-8-2 --data {csv} --report {dir}/folder.json", "is a folder", 1, DisplayName = "report that is a folder (item 14)")]
    [DataRow("prune --model {dir}/model.onnx --data {dir}/label5.csv", "line 3", 1, DisplayName = "label outside the model's classes (item 11)")]
    [DataRow("prune --model mlp --data {dir}/outlier.csv", "line 3", 1, DisplayName = "one outlier label (item 11)")]
    [DataRow("prune --model mlp --data {dir}/minus-one.csv", "line 2", 1, DisplayName = "label -1 (item 11)")]
    [DataRow("report {dir}/nulls.json", "nulls.json", 1, DisplayName = "report JSON with null steps (item 17)")]
    [DataRow("report /dev/zero", "/dev/zero", 1, DisplayName = "report read from /dev/zero (item 17)")]
    [DataRow("prune --model {dir}/nan.onnx --data {csv}", "layer 'dense1': weight[1] is NaN", 1, DisplayName = "model with a NaN weight (item 17)")]
    [DataRow("info {dir}/nan.onnx", "nan.onnx", 1, DisplayName = "info on a model with a NaN weight (item 17)")]
    [DataRow("prune --model mlp:4-8-2 --data {dir}/pipe.csv", "pipe.csv", 1, DisplayName = "data that is a FIFO, no hang (fuzzing)")]
    [DataRow("info {dir}/pipe.mlnp", "pipe.mlnp", 1, DisplayName = "model that is a FIFO, no hang (fuzzing)")]
    [DataRow("report {dir}/pipe.json", "pipe.json", 1, DisplayName = "report that is a FIFO, no hang (fuzzing)")]
    [DataRow("info {dir}/fifo.onnx", "fifo.onnx", 1, DisplayName = "ONNX model that is a FIFO, no hang (issue 19 item 13)")]
    [DataRow("prune --model {dir}/fifo.onnx --data {csv}", "fifo.onnx", 1, DisplayName = "ONNX model to prune that is a FIFO, no hang (issue 19 item 13)")]
    [DataRow("info {dir}/zero.onnx", "zero.onnx", 1, DisplayName = "ONNX model linked to /dev/zero, nothing read (issue 19 item 13)")]
    [DataRow("prune --model {dir}/zero.onnx --data {csv}", "zero.onnx", 1, DisplayName = "ONNX model to prune linked to /dev/zero (issue 19 item 13)")]
    [Timeout(60_000)]
    public void Run_UserMistake_PrintsOneErrorLineWithoutStackTrace(string arguments, string named, int exitCode)
    {
        using var directory = new TempDirectory();
        string csv = CliRun.WriteSeparableCsv(directory, rows: 20);
        directory.WriteText("corrupt.onnx", "this is not a protobuf message");
        directory.WriteText("notes.json", "not json at all");
        directory.WriteText("empty.json", "{}");
        directory.WriteText("bad-cell.csv", "a,b,c,d,label\n1,2,3,4,yes\n1,2,three,4,no\n");
        directory.WriteText("report.json", "{}");
        directory.WriteText("nulls.json", "{\"method\": \"APoZ\", \"baseline\": {\"parameters\": 10}, \"steps\": null}");
        directory.WriteText("label5.csv", "a,b,c,d,label\n1,2,3,4,0\n1,2,3,4,5\n1,2,3,4,1\n");
        directory.WriteText("outlier.csv", "a,b,c,d,label\n1,2,3,4,0\n1,2,3,4,20000000\n1,2,3,4,1\n");
        directory.WriteText("minus-one.csv", "a,b,c,d,label\n1,2,3,4,-1\n1,2,3,4,0\n1,2,3,4,1\n");
        Directory.CreateDirectory(directory.File("folder.json"));
        Directory.CreateSymbolicLink(directory.File("here"), directory.Path);
        File.CreateSymbolicLink(directory.File("zero.onnx"), "/dev/zero");
        OnnxModel.Save(new NetworkBuilder(4).Dense(3).Relu().Dense(2).Build(seed: 1), directory.File("model.onnx"));
        var nan = new NetworkBuilder(4).Dense(3).Relu().Dense(2).Build(seed: 1);
        ((Dense)nan.Nodes[0].Layer).Weight.Value.Span[1] = float.NaN;
        // A NaN model as another tool would write it: our own save refuses it.
        File.WriteAllBytes(directory.File("nan.onnx"), OnnxExporter.Export(nan).ToByteArray());
        foreach (string fifo in new[] { "fifo.onnx", "pipe.csv", "pipe.mlnp", "pipe.json" })
        {
            FileSystemFixtures.MakeFifo(directory.File(fifo));
        }
        string[] args = arguments.Replace("{csv}", csv, StringComparison.Ordinal).Replace("{dir}", directory.Path, StringComparison.Ordinal).Split(' ');

        var run = CliRun.Of(args);

        Assert.AreEqual(exitCode, run.ExitCode, run.ToString());
        Assert.AreEqual(1, run.ErrorLines.Length, run.ToString());
        StringAssert.StartsWith(run.ErrorLines[0], "error: ", run.ToString());
        StringAssert.Contains(run.ErrorLines[0], named, run.ToString());
        Assert.IsFalse(run.Error.Contains("   at ", StringComparison.Ordinal), run.ToString());
        Assert.IsFalse(run.Output.Contains("   at ", StringComparison.Ordinal), run.ToString());
        Assert.AreEqual(CliRun.SeparableCsvText(rows: 20), File.ReadAllText(csv), "the data file is untouched");
    }
}
