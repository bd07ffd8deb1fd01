using System.Diagnostics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.TestSupport;

/// <summary>File system entries that .NET cannot create itself.</summary>
internal static class FileSystemFixtures
{
    /// <summary>Creates a FIFO (named pipe) at <paramref name="path"/> with mkfifo(1).</summary>
    public static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        Assert.IsTrue(process.WaitForExit(10_000), "mkfifo did not finish");
        Assert.AreEqual(0, process.ExitCode, $"mkfifo {path}: {process.StandardError.ReadToEnd()}");
    }
}
