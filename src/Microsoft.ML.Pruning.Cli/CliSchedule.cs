namespace Microsoft.ML.Pruning.Cli;

/// <summary>The schedules the tool offers.</summary>
internal enum CliSchedule
{
    /// <summary>Prune once.</summary>
    OneShot,

    /// <summary>Iterate at a fixed rate.</summary>
    Fixed,

    /// <summary>Polynomial (AGP) towards the rate as final sparsity.</summary>
    Polynomial,

    /// <summary>The adaptive rate of seeds/002.</summary>
    Adaptive,
}
