namespace Microsoft.ML.Pruning.Stages;

/// <summary>Options of <see cref="PretrainedNetworkEstimator"/>: columns, the held-out share it measures on, threads and seed (it does not train).</summary>
public sealed class PretrainedNetworkOptions : StageOptions
{
    /// <summary>Creates the options.</summary>
    public PretrainedNetworkOptions()
        : base(epochs: 0)
    {
    }
}
