using Microsoft.ML.Pruning.Loop;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>Reports progress synchronously, on the reporting thread (unlike <see cref="Progress{T}"/>, which posts to the thread pool).</summary>
internal sealed class Reporter<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

/// <summary>Adapts the library's progress to the console's status lines.</summary>
internal static class Reporter
{
    public static IProgress<PruningProgress> Messages(IProgress<string> lines) => new Reporter<PruningProgress>(p => lines.Report(p.Message));
}
