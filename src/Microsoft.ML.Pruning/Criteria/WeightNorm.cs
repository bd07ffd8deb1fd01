namespace Microsoft.ML.Pruning.Criteria;

/// <summary>The norm that <see cref="WeightNormImportance"/> takes of each unit's incoming weights.</summary>
public enum WeightNorm
{
    /// <summary>The sum of absolute values (Li et al.'s filter L1 norm).</summary>
    L1,

    /// <summary>The square root of the sum of squares.</summary>
    L2,
}
