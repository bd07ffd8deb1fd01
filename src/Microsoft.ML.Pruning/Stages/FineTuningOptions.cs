namespace Microsoft.ML.Pruning.Stages;

/// <summary>Options of <see cref="FineTuningEstimator"/>: the shared training options, with <see cref="StageOptions.Epochs"/> at least 1.</summary>
public sealed class FineTuningOptions : StageOptions
{
    /// <summary>Creates options with 2 epochs.</summary>
    public FineTuningOptions()
        : base(epochs: 2)
    {
    }

    /// <inheritdoc/>
    private protected override int MinimumEpochs => 1;
}
