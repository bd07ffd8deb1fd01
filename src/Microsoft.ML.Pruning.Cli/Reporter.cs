using System.Globalization;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Training;

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

    /// <summary>One line per completed epoch of a <see cref="Trainer"/>, such as "training epoch 2/5: validation accuracy 91.20 %".</summary>
    public static IProgress<TrainingProgress> Epochs(string verb, IProgress<string> lines) => new Reporter<TrainingProgress>(p =>
    {
        if (p.CompletedEpoch is { } e)
        {
            lines.Report(string.Create(CultureInfo.InvariantCulture, $"{verb} epoch {e.Epoch + 1}/{p.TotalEpochs}: validation accuracy {e.ValidationAccuracy:P2}"));
        }
    });
}
