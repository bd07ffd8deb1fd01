using Microsoft.ML.Pruning.Loop;

namespace Microsoft.ML.Pruning.Samples;

/// <summary>Writes pruning progress to the console as it happens.</summary>
internal sealed class Progress : IProgress<PruningProgress>
{
    public static readonly Progress Console = new();

    public void Report(PruningProgress value) => System.Console.WriteLine("  " + value.Message);
}
