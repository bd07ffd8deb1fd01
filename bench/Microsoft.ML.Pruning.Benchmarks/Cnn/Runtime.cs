using System.Diagnostics;

namespace Microsoft.ML.Pruning.Benchmarks.Cnn;

/// <summary>
/// One runtime in one cell of the CNN benchmark (a model, input size, batch, task and thread count): it warms up once,
/// then times rounds of whole steps (a training step: forward, loss, backward, SGD step; or one inference batch).
/// </summary>
internal abstract class Runtime : IDisposable
{
    /// <summary>Gets the column name.</summary>
    public abstract string Name { get; }

    /// <summary>Gets the images one step processes.</summary>
    public abstract int ImagesPerStep { get; }

    /// <summary>Gets or sets the thread count of the cell (1: thread-CPU time; more: process CPU time).</summary>
    public int Threads { get; set; } = 1;

    /// <summary>Gets the seconds one step took at the end of the warm-up.</summary>
    public double StepSeconds { get; private set; }

    /// <summary>
    /// Warms up: the steps <see cref="JitWarmUp"/> asks for (past .NET's tier-0 window), then full steps until the last
    /// three agree within 10 % (at least 3, at most 30, or 60 s), so that caches, allocators and libtorch's primitive
    /// caches have settled. Records the step time for sizing the rounds.
    /// </summary>
    public virtual void WarmUp()
    {
        JitWarmUp();
        var times = new List<double>();
        var watch = Stopwatch.StartNew();
        while (times.Count < 3 || (!Settled(times) && times.Count < 30 && watch.Elapsed.TotalSeconds < 60))
        {
            var sample = Round(1);
            times.Add(sample.Wall / sample.Images * ImagesPerStep);
        }

        StepSeconds = times.TakeLast(3).Min();
    }

    /// <summary>Times <paramref name="steps"/> steps.</summary>
    /// <returns>Wall-clock and CPU seconds (the calling thread's at 1 thread, the process's above) and the images.</returns>
    public virtual Sample Round(int steps)
    {
        double cpu = Cpu();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < steps; i++)
        {
            Step();
        }

        return new Sample(Stopwatch.GetElapsedTime(start).TotalSeconds, Cpu() - cpu, steps * ImagesPerStep);
    }

    public virtual void Dispose()
    {
    }

    /// <summary>Runs one step.</summary>
    protected abstract void Step();

    /// <summary>Runs what takes this runtime's .NET code past tier 0 before the timed warm-up (nothing by default).</summary>
    protected virtual void JitWarmUp()
    {
    }

    /// <summary>Gets the CPU seconds so far: the calling thread's at 1 thread, the process's above.</summary>
    protected double Cpu() => Threads == 1 ? Machine.ThreadCpuSeconds() : Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static bool Settled(List<double> times)
    {
        var last = times.TakeLast(3).ToList();
        return last.Max() <= 1.1 * last.Min();
    }
}

/// <summary>One timed round.</summary>
/// <param name="Wall">Wall-clock seconds.</param>
/// <param name="Cpu">CPU seconds (the calling thread's at 1 thread, the process's above).</param>
/// <param name="Images">The images processed.</param>
internal readonly record struct Sample(double Wall, double Cpu, int Images);
