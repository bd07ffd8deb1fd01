using System.ComponentModel;
using System.Diagnostics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Reports;

/// <summary>
/// Loads pages in headless Chromium (Debian's chromium package, installed by build/setup.d/chromium.sh through
/// build/setup.sh). A missing browser fails the test with a message naming the setup script; it never skips.
/// </summary>
internal static class HeadlessChromium
{
    /// <summary>The script that installs Chromium, relative to the repository root.</summary>
    public const string SetupScript = "build/setup.sh";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Loads a page and returns its DOM, serialized after parsing and layout.</summary>
    /// <param name="page">The HTML file.</param>
    /// <returns>The serialized DOM.</returns>
    public static string DumpDom(string page) => Run(["--dump-dom", new Uri(page).AbsoluteUri]);

    /// <summary>Loads a page and saves a PNG screenshot of the window.</summary>
    /// <param name="page">The HTML file.</param>
    /// <param name="png">The screenshot file to write.</param>
    /// <param name="width">The window width in pixels.</param>
    /// <param name="height">The window height in pixels.</param>
    public static void Screenshot(string page, string png, int width, int height)
    {
        Run([$"--window-size={width},{height}", "--hide-scrollbars", $"--screenshot={png}", new Uri(page).AbsoluteUri]);
        Assert.IsTrue(File.Exists(png), $"chromium wrote no screenshot to {png}.");
    }

    private static string Run(string[] arguments)
    {
        string? program = FindOnPath("chromium") ?? FindOnPath("chromium-browser");
        if (program is null)
        {
            Assert.Fail($"Chromium (Debian's chromium package) is not on the PATH; run {SetupScript}.");
        }

        using var profile = new TempDirectory();
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", $"--user-data-dir={profile.Path}" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception($"{program} did not start.");
        }
        catch (Win32Exception ex)
        {
            Assert.Fail($"{program} did not start ({ex.Message}); run {SetupScript}.");
            throw;
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{program} did not finish within {Timeout.TotalSeconds} s.");
            }

            if (process.ExitCode != 0)
            {
                Assert.Fail($"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:\n{stderr.Result}");
            }

            return stdout.Result;
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
