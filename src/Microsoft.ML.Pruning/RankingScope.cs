namespace Microsoft.ML.Pruning;

/// <summary>How units are ranked against each other when a rate is turned into units to remove.</summary>
public enum RankingScope
{
    /// <summary>Each group loses the same fraction of its units, ranked within the group.</summary>
    PerLayer,

    /// <summary>All groups' units are ranked together, so less important layers lose more (scores must be comparable across layers).</summary>
    Global,
}
