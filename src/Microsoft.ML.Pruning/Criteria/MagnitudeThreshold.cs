namespace Microsoft.ML.Pruning.Criteria;

/// <summary>How <see cref="UnstructuredMagnitudePruning"/> decides which weights to mask.</summary>
public enum MagnitudeThreshold
{
    /// <summary>Mask the given fraction of the unmasked weights with the smallest magnitude, per layer or globally.</summary>
    Rate,

    /// <summary>
    /// Mask, in each layer, the unmasked weights whose magnitude is below
    /// <see cref="UnstructuredMagnitudePruningOptions.QualityFactor"/> times the mean magnitude of that layer's unmasked weights.
    /// </summary>
    MeanThreshold,
}
