namespace Microsoft.ML.Pruning.Stages;

/// <summary>Options of <see cref="NeuralNetworkTrainer"/>: the shared training options, with <see cref="StageOptions.Epochs"/> at least 1.</summary>
public sealed class NeuralNetworkTrainerOptions : StageOptions
{
    /// <summary>Creates options with 10 epochs.</summary>
    public NeuralNetworkTrainerOptions()
        : base(epochs: 10)
    {
    }

    /// <inheritdoc/>
    private protected override int MinimumEpochs => 1;
}
