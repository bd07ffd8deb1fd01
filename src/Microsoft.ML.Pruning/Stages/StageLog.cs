using System.Diagnostics;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// Writes a stage's warnings to the <see cref="MLContext"/>'s log (its <c>Log</c> event, kind <c>Warning</c>, source
/// <c>Microsoft.ML.Pruning</c>), where ML.NET's own components write theirs. Without a context (ML.NET's catalog did not
/// give one away) they go to <see cref="Trace"/>.
/// </summary>
internal sealed class StageLog(IHostEnvironment? environment, string stage) : IProgress<string>
{
    /// <summary>The source name of the messages.</summary>
    public const string Source = "Microsoft.ML.Pruning";

    /// <summary>Writes a warning.</summary>
    public void Warning(string message)
    {
        string text = $"{stage}: {message}";
        if (environment is null)
        {
            Trace.TraceWarning("{0}: {1}", Source, text);
            return;
        }

        using var channel = environment.Start(Source);
        channel.Warning(MessageSensitivity.None, text);
    }

    /// <inheritdoc/>
    void IProgress<string>.Report(string value) => Warning(value);
}
