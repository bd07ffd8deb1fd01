using System.Diagnostics;
using System.Globalization;

namespace Microsoft.ML.Pruning.TorchSharp.Tests;

/// <summary>
/// Whether libtorch's CPU conv2d input gradient is right on this machine, and that the backend's convolutions are
/// right whatever it is (issue 17). libtorch reads ATEN_CPU_CAPABILITY and ONEDNN_MAX_CPU_ISA when it loads, so each
/// setting runs in a child process (test/ConvolutionGradientProbe), which compares libtorch's conv2d and the backend's
/// convolution (the path the start-up check chose) with float64 over the check's shapes.
/// </summary>
[TestClass]
public sealed class ConvolutionGradientTests
{
    public static IEnumerable<object[]> Settings =>
    [
        [1, "", ""],
        [2, "", ""],
        [1, "avx2", ""],
        [1, "avx512", ""],
        [1, "", "AVX2"],
        [2, "", "AVX512_CORE"],
    ];

    [TestMethod]
    [Timeout(600_000)]
    [DynamicData(nameof(Settings))]
    public void TheBackendsConvolutionGradientsMatchFloat64UnderEveryCpuSetting(int threads, string capability, string isa)
    {
        var lines = RunProbe(threads, repeats: 2, capability, isa);
        var native = lines.Where(l => l[0] == "native").ToArray();
        var backend = lines.Where(l => l[0] == "backend").ToArray();
        Console.WriteLine(string.Join(Environment.NewLine, lines.Where(l => l[0] is "summary" or "cpu").Select(l => string.Join("  ", l))));
        Console.WriteLine($"libtorch conv2d: {native.Sum(l => int.Parse(l[3], CultureInfo.InvariantCulture))} wrong input gradients in {native.Sum(l => int.Parse(l[2], CultureInfo.InvariantCulture))} runs over {native.Length} shapes, " +
            $"worst relative error {native.Max(l => double.Parse(l[4], CultureInfo.InvariantCulture)):E2}");

        Assert.AreEqual(ConvolutionGradientCheck.QuickShapes.Count, backend.Length);
        foreach (var line in backend)
        {
            Assert.AreEqual("0", line[3], $"the backend's convolution {line[1]}: relative input-gradient error {line[4]}");
            Assert.IsTrue(double.Parse(line[5], CultureInfo.InvariantCulture) < ConvolutionGradientCheck.Tolerance, $"{line[1]}: weight gradient {line[5]}");
            Assert.IsTrue(double.Parse(line[6], CultureInfo.InvariantCulture) < ConvolutionGradientCheck.Tolerance, $"{line[1]}: output {line[6]}");
        }

        bool nativeRight = native.All(l => l[3] == "0");
        string chosen = lines.Single(l => l[0] == "summary").Single(f => f.StartsWith("self-check=", StringComparison.Ordinal));
        if (!nativeRight)
        {
            Assert.AreEqual("self-check=unfold", chosen, "libtorch's gradient was wrong here, so the start-up check must have chosen the unfold path");
        }
    }

    private static List<string[]> RunProbe(int threads, int repeats, string capability, string isa)
    {
        string probe = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../ConvolutionGradientProbe/bin",
            AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release", "net10.0/ConvolutionGradientProbe.dll"));
        Assert.IsTrue(File.Exists(probe), $"the probe is built with the solution: {probe}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { probe, threads.ToString(CultureInfo.InvariantCulture), repeats.ToString(CultureInfo.InvariantCulture), "7", "quick" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("ATEN_CPU_CAPABILITY");
        start.Environment.Remove("ONEDNN_MAX_CPU_ISA");
        if (capability.Length > 0)
        {
            start.Environment["ATEN_CPU_CAPABILITY"] = capability;
        }

        if (isa.Length > 0)
        {
            start.Environment["ONEDNN_MAX_CPU_ISA"] = isa;
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, $"the probe failed: {error.Result}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
    }
}
