namespace Microsoft.ML.Pruning.Tensors;

/// <summary>Settings of the CPU engine: a process-wide default, and a per-call override that one caller cannot change under another.</summary>
public static class ComputeSettings
{
    private static readonly AsyncLocal<int?> ScopedDegreeOfParallelism = new();
    private static int _degreeOfParallelism = Environment.ProcessorCount;

    /// <summary>
    /// Gets or sets the process-wide maximum number of threads a kernel uses. Inside <see cref="UseDegreeOfParallelism"/>
    /// the getter returns that scope's value instead (for the calling flow only).
    /// </summary>
    /// <value>The default is <see cref="Environment.ProcessorCount"/>. Allowed: 1 to 256.</value>
    /// <remarks>
    /// Results are bit-identical for a given value: work is split into the same static parts every time, and
    /// partial sums are combined in a fixed order. ML.NET stages set their thread count per fit or per scoring call
    /// with <see cref="UseDegreeOfParallelism"/>, never through this process-wide value.
    /// </remarks>
    public static int DegreeOfParallelism
    {
        get => ScopedDegreeOfParallelism.Value ?? _degreeOfParallelism;
        set
        {
            Check(value, nameof(DegreeOfParallelism));
            _degreeOfParallelism = value;
        }
    }

    /// <summary>
    /// Sets the thread count for the calling thread and the asynchronous flow it starts, until the returned scope is
    /// disposed; other threads keep their own value.
    /// </summary>
    /// <param name="threads">The thread count (1 to 256), or <see langword="null"/> to keep the current value.</param>
    /// <returns>The scope; dispose it to restore the previous value.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is outside 1 to 256.</exception>
    public static IDisposable UseDegreeOfParallelism(int? threads)
    {
        if (threads is { } value)
        {
            Check(value, nameof(threads));
        }

        var previous = ScopedDegreeOfParallelism.Value;
        ScopedDegreeOfParallelism.Value = threads ?? previous;
        return new Scope(previous);
    }

    private static void Check(int value, string name)
    {
        if (value is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(name, value, "DegreeOfParallelism must be between 1 and 256.");
        }
    }

    private sealed class Scope(int? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                ScopedDegreeOfParallelism.Value = previous;
            }
        }
    }
}
