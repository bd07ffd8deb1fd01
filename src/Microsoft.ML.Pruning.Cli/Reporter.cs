using Microsoft.ML.Pruning.Pruning;
using Spectre.Console;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>Turns pruning progress into console output, synchronously (no thread hop, unlike <see cref="Progress{T}"/>).</summary>
internal sealed class Reporter(Action<PruningProgress> report) : IProgress<PruningProgress>
{
    public static Reporter ToStatus(StatusContext status) => new(p =>
    {
        status.Status(Markup.Escape(p.Message));
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(p.Message)}[/]");
    });

    public void Report(PruningProgress value) => report(value);
}
