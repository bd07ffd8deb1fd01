using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>
/// Runs the external ONNX tools that build/install-onnx-tools.sh installs: ONNX Runtime (onnxruntime-node, through
/// build/onnx/ort-run.js) and Debian's python3-onnx checker (through build/onnx/check-model.py). A missing tool fails
/// the test with a message naming the install script; it never skips.
/// </summary>
internal static class OnnxTools
{
    /// <summary>The script that installs the tools, relative to the repository root.</summary>
    public const string InstallScript = "build/install-onnx-tools.sh";

    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Gets the repository root (the folder holding build/install-onnx-tools.sh).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Runs models in ONNX Runtime, one process for all.</summary>
    /// <param name="jobs">Each model with its input batch.</param>
    /// <returns>Each model's first output.</returns>
    public static FloatTensor[] RunOnnxRuntime(IReadOnlyList<(string Model, FloatTensor Input)> jobs)
    {
        string runtime = Path.Combine(RepositoryRoot, "build", "onnx", "node_modules", "onnxruntime-node", "package.json");
        if (!File.Exists(runtime))
        {
            Assert.Fail($"ONNX Runtime for Node.js (onnxruntime-node) is not installed under build/onnx/node_modules; run {InstallScript}.");
        }

        using var folder = new TempDirectory();
        var specs = jobs.Select((job, i) =>
        {
            string input = Path.Combine(folder.Path, $"input{i}.bin");
            WriteFloats(input, job.Input.Span);
            return new { model = job.Model, input, dims = job.Input.Shape, output = Path.Combine(folder.Path, $"output{i}.bin") };
        }).ToList();
        string jobsFile = Path.Combine(folder.Path, "jobs.json");
        File.WriteAllText(jobsFile, JsonSerializer.Serialize(specs));
        string stdout = Run("node", [Path.Combine(RepositoryRoot, "build", "onnx", "ort-run.js"), "--jobs", jobsFile], "Node.js (node)");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual(specs.Count, lines.Length, $"ort-run.js printed {lines.Length} results for {specs.Count} models:\n{stdout}");
        return lines.Select((line, i) =>
        {
            using var result = JsonDocument.Parse(line);
            var dims = result.RootElement.GetProperty("dims").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            return OnnxFixtures.ReadFloats(specs[i].output, dims);
        }).ToArray();
    }

    /// <summary>Asserts that onnx.checker.check_model(model, full_check=True) accepts every model.</summary>
    /// <param name="models">The model files.</param>
    public static void AssertCheckerAccepts(IEnumerable<string> models)
    {
        string probe = RunRaw(Python, ["-c", "import onnx"], out int code);
        if (code != 0)
        {
            Assert.Fail($"{Python} cannot import onnx (Debian's python3-onnx); run {InstallScript}. {probe}");
        }

        string output = Run(Python, [Path.Combine(RepositoryRoot, "build", "onnx", "check-model.py"), .. models], "python3-onnx");
        StringAssert.DoesNotMatch(output, new System.Text.RegularExpressions.Regex("^error", System.Text.RegularExpressions.RegexOptions.Multiline), output);
    }

    /// <summary>Writes raw little-endian float32 values.</summary>
    /// <param name="path">The file.</param>
    /// <param name="values">The values.</param>
    public static void WriteFloats(string path, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        File.WriteAllBytes(path, bytes);
    }

    private static string Run(string program, string[] arguments, string tool)
    {
        string output = RunRaw(program, arguments, out int code, tool);
        if (code != 0)
        {
            Assert.Fail($"{program} {string.Join(' ', arguments)} failed with exit code {code}:\n{output}\n(If a tool is missing, run {InstallScript}.)");
        }

        return output;
    }

    private static string RunRaw(string program, string[] arguments, out int exitCode, string? tool = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
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
            Assert.Fail($"{tool ?? program} is not available ({ex.Message}); run {InstallScript}.");
            throw;
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{program} did not finish within {Timeout.TotalSeconds} s.");
            }

            exitCode = process.ExitCode;
            return exitCode == 0 ? stdout : stdout + stderr.Result;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, InstallScript)))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds {InstallScript}.");
    }
}
