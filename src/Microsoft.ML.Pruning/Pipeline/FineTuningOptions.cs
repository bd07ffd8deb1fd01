namespace Microsoft.ML.Pruning;

/// <summary>Options of <see cref="FineTuningEstimator"/>: <see cref="StageOptions.FineTuningEpochs"/> is the number of epochs.</summary>
public sealed class FineTuningOptions : StageOptions
{
    /// <summary>Creates the options with 2 epochs.</summary>
    public FineTuningOptions()
    {
        FineTuningEpochs = 2;
    }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        OptionChecks.Require(FineTuningEpochs >= 1, nameof(FineTuningEpochs), FineTuningEpochs, "must be at least 1 for a fine-tuning stage");
    }
}
