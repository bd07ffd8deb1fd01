namespace Microsoft.ML.Pruning.Loop;

/// <summary>How <see cref="PrunerOptions.MaximumAccuracyDrop"/> is measured.</summary>
public enum BudgetKind
{
    /// <summary>The drop is in accuracy points: 0.005 allows 0.80 to fall to 0.795.</summary>
    Absolute,

    /// <summary>The drop is a fraction of the baseline accuracy: 0.01 allows 0.80 to fall to 0.792.</summary>
    Relative,
}
