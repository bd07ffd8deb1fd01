using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning;

/// <summary>Options every stage shares: how it fine-tunes and where its validation data comes from.</summary>
public abstract class StageOptions
{
    private protected StageOptions()
    {
    }

    /// <summary>Gets or sets the share of the training data held out for validation when <c>Fit</c> gets no validation data.</summary>
    /// <value>The default is 0.1; it must be in (0, 0.5].</value>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>Gets or sets the epochs of fine-tuning after each pruning step (or of the fine-tuning stage).</summary>
    /// <value>The default is 1; it must be at least 0 (0 skips fine-tuning).</value>
    public int FineTuningEpochs { get; set; } = 1;

    /// <summary>Gets or sets the Adam learning rate of fine-tuning.</summary>
    /// <value>The default is 0.001; it must be positive and finite.</value>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Gets or sets the mini-batch size of fine-tuning.</summary>
    /// <value>The default is 128; it must be at least 1.</value>
    public int BatchSize { get; set; } = 128;

    /// <summary>Gets or sets whether reports measure inference latency (batch 1 and 256) before and after.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool MeasureLatency { get; set; } = true;

    /// <summary>Checks the options; throws for the first bad one, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public virtual void Validate()
    {
        OptionChecks.Require(ValidationFraction is > 0 and <= 0.5, nameof(ValidationFraction), ValidationFraction, "must be in (0, 0.5]");
        OptionChecks.Require(FineTuningEpochs >= 0, nameof(FineTuningEpochs), FineTuningEpochs, "must be at least 0");
        OptionChecks.Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be positive and finite");
        OptionChecks.Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "must be at least 1");
    }

    internal TrainerOptions CreateTrainerOptions(int seed) => new()
    {
        Epochs = FineTuningEpochs,
        BatchSize = BatchSize,
        Seed = seed,
        Optimizer = new AdamOptimizer((float)LearningRate),
        KeepBestCheckpoint = true,
    };
}
