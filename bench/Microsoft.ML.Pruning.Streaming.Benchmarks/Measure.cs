using System.Diagnostics;
using System.Globalization;

namespace Microsoft.ML.Pruning.Streaming.Benchmarks;

/// <summary>Peak memory (the kernel's VmHWM, reset before the measured part) and CPU time of this process.</summary>
internal static class Measure
{
    private const double MiB = 1024.0 * 1024.0;

    /// <summary>Resets the kernel's peak-RSS counter, so what ran before (start-up, data generation) does not count.</summary>
    public static bool ResetPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Reads a size line (kB) of /proc/self/status, in MiB.</summary>
    public static double StatusMiB(string key)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        throw new InvalidOperationException($"/proc/self/status has no {key} line.");
    }

    /// <summary>Runs <paramref name="action"/> and prints its wall time, process CPU time, rows per second and peak working set.</summary>
    public static void Run(string label, long rows, Action action)
    {
        double before = StatusMiB("VmRSS");
        bool reset = ResetPeak();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        int collections = GC.CollectionCount(2);
        var watch = Stopwatch.StartNew();
        action();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        collections = GC.CollectionCount(2) - collections;
        double seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        double cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        double peak = StatusMiB("VmHWM");
        double load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {rows:N0} rows, wall {seconds:F1} s, process CPU {cpuSeconds:F1} s (CPU/wall {cpuSeconds / seconds:F2}), {rows / seconds:F0} rows/s; RSS before {before:F0} MiB, peak working set (VmHWM{(reset ? ", reset before" : "")}) {peak:F0} MiB, beyond the RSS before {peak - before:F0} MiB; managed allocations {allocated / MiB:F0} MiB ({allocated / 1024.0 / rows:F0} KiB a row), {collections} gen-2 collections; load average {load:F2}"));
    }

    /// <summary>Returns a command-line option's value, or <see langword="null"/>.</summary>
    public static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Returns a command-line option's integer value, or <paramref name="fallback"/>.</summary>
    public static int Integer(string[] args, string name, int fallback) =>
        Option(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
