using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>What every table prints about the machine, and the calling thread's CPU time.</summary>
internal static partial class Machine
{
    private const int ThreadCpuTimeClock = 3; // CLOCK_THREAD_CPUTIME_ID

    /// <summary>Gets the processor's name from /proc/cpuinfo.</summary>
    public static string CpuName =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";

    /// <summary>Gets the vector extensions of the processor that matter here.</summary>
    public static string Flags
    {
        get
        {
            string flags = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) ?? "" : "";
            var set = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            return string.Join(" ", new[] { "avx2", "fma", "avx512f", "avx512bw", "avx512vl" }.Where(set.Contains));
        }
    }

    /// <summary>Gets the load average over 1, 5 and 15 minutes.</summary>
    public static string LoadAverage =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>One line: CPU, flags, cores, GEMM kernel, vector width, engine threads and load average.</summary>
    /// <returns>The description.</returns>
    public static string Describe() =>
        $"CPU {CpuName} [{Flags}], {Environment.ProcessorCount} logical cores, GEMM kernel {Gemm.ActiveKernel}, " +
        $"Vector512 {(Vector512.IsHardwareAccelerated ? "on" : "off")}, engine threads {ComputeSettings.DegreeOfParallelism}, load average {LoadAverage}, .NET {Environment.Version}";

    /// <summary>Gets the CPU time the calling thread has used, in seconds.</summary>
    /// <returns>The time.</returns>
    public static double ThreadCpuSeconds()
    {
        if (!OperatingSystem.IsLinux() || GetTime(ThreadCpuTimeClock, out var time) != 0)
        {
            return 0;
        }

        return time.Seconds + (time.Nanoseconds * 1e-9);
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int GetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
