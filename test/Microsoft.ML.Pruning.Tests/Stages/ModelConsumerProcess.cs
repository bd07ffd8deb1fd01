using System.Diagnostics;
using System.Globalization;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>
/// Runs test/ModelConsumer, which loads saved ML.NET models in a fresh process as a consuming app would (it references
/// only Microsoft.ML, the ONNX packages and the library), on the Waveform test rows.
/// </summary>
internal static class ModelConsumerProcess
{
    /// <summary>Writes the test rows into <paramref name="folder"/>, loads every model there and returns what each predicted, by model name.</summary>
    public static Dictionary<string, LoadedPredictions> Run(TempDirectory folder, IEnumerable<string> models)
    {
        string rows = folder.File("rows.tsv");
        File.WriteAllLines(rows, PipelineFixture.TestRows.Select(r => string.Join("\t", r.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\t" + r.Kind));
        var paths = models.ToArray();
        Start([rows, folder.Path, .. paths]);
        return paths.ToDictionary(p => Path.GetFileNameWithoutExtension(p), p => LoadedPredictions.Read(folder.File(Path.GetFileNameWithoutExtension(p) + ".out")));
    }

    private static void Start(string[] arguments)
    {
        // The consumer is built with the tests (a project reference that is not referenced as an assembly).
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        string consumer = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../ModelConsumer/bin", configuration, "net10.0/ModelConsumer.dll"));
        Assert.IsTrue(File.Exists(consumer), $"{consumer} was built");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(consumer);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.IsTrue(process.WaitForExit(120_000), "the consumer finishes");
        Assert.AreEqual(0, process.ExitCode, output + error.Result);
    }
}

/// <summary>What the consumer read from one loaded model.</summary>
/// <param name="Types">The types of <c>Score</c> and <c>PredictedLabel</c>, tab-separated.</param>
/// <param name="Scores">The scores of every row.</param>
/// <param name="Labels">The predicted label of every row, as text.</param>
internal sealed record LoadedPredictions(string Types, float[][] Scores, string[] Labels)
{
    public static LoadedPredictions Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var rows = lines.Skip(1).Select(l => l.Split('\t')).ToArray();
        return new LoadedPredictions(
            lines[0],
            [.. rows.Select(r => r[0].Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())],
            [.. rows.Select(r => r[1])]);
    }
}
