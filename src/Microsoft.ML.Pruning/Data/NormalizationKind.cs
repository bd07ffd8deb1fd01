namespace Microsoft.ML.Pruning.Data;

/// <summary>How <see cref="Normalizer"/> rescales each feature.</summary>
public enum NormalizationKind
{
    /// <summary>
    /// Subtract the feature's mean and divide by its population standard deviation (divisor N), as scikit-learn's
    /// <c>StandardScaler</c> does. A constant feature is only centred, so it becomes 0.
    /// </summary>
    Standardize,

    /// <summary>
    /// Map the feature's minimum to 0 and its maximum to 1. A constant feature becomes 0. Values of another data set
    /// that lie outside the fitted range map outside [0, 1]; they are not clipped.
    /// </summary>
    MinMax,
}
