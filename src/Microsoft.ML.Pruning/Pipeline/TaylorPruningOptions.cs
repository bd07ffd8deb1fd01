namespace Microsoft.ML.Pruning;

/// <summary>Options of <see cref="TaylorPruningEstimator"/>.</summary>
public sealed class TaylorPruningOptions : PruningEstimatorOptions
{
    /// <summary>Gets or sets whether each layer's scores are divided by their L2 norm, as Molchanov et al. do for a global ranking.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool NormalizePerLayer { get; set; }
}
