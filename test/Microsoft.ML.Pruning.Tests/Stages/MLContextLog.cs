using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Tests.Stages;

/// <summary>Collects what an <see cref="MLContext"/>'s log receives.</summary>
internal static class MLContextLog
{
    /// <summary>Subscribes to the context's log and returns the list its warnings are added to.</summary>
    public static List<string> Warnings(MLContext ml)
    {
        var warnings = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Kind == ChannelMessageKind.Warning)
            {
                lock (warnings)
                {
                    warnings.Add(e.Message);
                }
            }
        };
        return warnings;
    }
}
