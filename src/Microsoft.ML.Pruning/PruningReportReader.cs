using System.Text;
using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning;

/// <summary>Reads report JSON defensively: a bounded read, and every null or missing part named instead of a later NullReferenceException.</summary>
internal static class PruningReportReader
{
    /// <summary>The largest report file read (64 MiB); reports of real runs are a few kilobytes.</summary>
    public const int MaximumBytes = 64 << 20;

    /// <summary>Reads the text of <paramref name="path"/>, at most <see cref="MaximumBytes"/> bytes, so that /dev/zero or a huge file fails at once.</summary>
    /// <exception cref="FormatException">The file is larger.</exception>
    public static string ReadText(string path)
    {
        FileKind.EnsureNotPipe(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaximumBytes)
            {
                throw new FormatException($"The file is larger than {MaximumBytes >> 20} MiB; a pruning report is a few kilobytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Throws a <see cref="FormatException"/> naming the first part of <paramref name="report"/> that is null.</summary>
    public static PruningReport Check(PruningReport report)
    {
        Require(report.Method, "method");
        Require(report.Schedule, "schedule");
        Snapshot(report.Baseline, "baseline");
        Snapshot(report.Final, "final");
        Require(report.Steps, "steps");
        for (int i = 0; i < report.Steps.Count; i++)
        {
            var step = Require(report.Steps[i], $"steps[{i}]");
            Require(step.Phase, $"steps[{i}].phase");
            Snapshot(step.Model, $"steps[{i}].model");
        }

        Require(report.Sensitivity, "sensitivity");
        for (int i = 0; i < report.Sensitivity.Count; i++)
        {
            Require(Require(report.Sensitivity[i], $"sensitivity[{i}]").Layer, $"sensitivity[{i}].layer");
        }

        return report;
    }

    private static void Snapshot(ModelSnapshot? snapshot, string name)
    {
        Require(snapshot, name);
        Require(snapshot!.Layers, name + ".layers");
        for (int i = 0; i < snapshot.Layers.Count; i++)
        {
            var layer = Require(snapshot.Layers[i], $"{name}.layers[{i}]");
            Require(layer.Layer, $"{name}.layers[{i}].layer");
            Require(layer.Kind, $"{name}.layers[{i}].kind");
        }
    }

    private static T Require<T>(T? value, string name)
        where T : class => value ?? throw new FormatException($"Not a pruning report: '{name}' is null.");
}
