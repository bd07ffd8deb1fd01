using System.Diagnostics;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Cli;

/// <summary>Issue 13 item 16: SIGTERM (what timeout, docker stop and CI send) is treated like Ctrl+C, in a real mlprune process.</summary>
[TestClass]
public sealed class SigtermTests
{
    [TestMethod]
    public void Prune_Sigterm_SavesTheBestModelSoFarAndExits143()
    {
        // Before: the process died at once with no message and no model.
        using var directory = new TempDirectory();
        string csv = CliRun.WriteSeparableCsv(directory, rows: 400);
        string onnx = directory.File("pruned.onnx");
        string mlprune = Path.Combine(AppContext.BaseDirectory, "mlprune.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { mlprune, "prune", "--model", "mlp:4-32-2", "--data", csv, "--train-epochs", "1", "--method", "l1", "--schedule", "fixed",
            "--rate", "0.1", "--steps", "100", "--fine-tune-epochs", "300", "--budget", "100", "--no-latency", "--threads", "1", "--output", onnx })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        bool signalled = false;
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
                if (!signalled && e.Data?.Contains("step 0: accuracy", StringComparison.Ordinal) == true)
                {
                    signalled = true;
                    using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                    kill.WaitForExit();
                }
            }
        };
        process.BeginOutputReadLine();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("mlprune did not stop within 60 s of starting");
        }

        process.WaitForExit();
        string text;
        lock (output)
        {
            text = output.ToString();
        }

        string run = $"{text}\n--- error\n{error.Result}";
        Assert.IsTrue(signalled, "step 0 never finished:\n" + run);
        Assert.AreEqual(143, process.ExitCode, run);
        StringAssert.Contains(error.Result, "terminating: prune keeps the best model found so far");
        StringAssert.Contains(text, "cancelled: the best model so far");
        // mlp:4-32-2 has 4*32+32 + 32*2+2 = 226 parameters; step 0 removed 3 of the 32 units and was kept.
        Assert.IsTrue(OnnxModel.Load(onnx).ParameterCount < 226, run);
    }
}
