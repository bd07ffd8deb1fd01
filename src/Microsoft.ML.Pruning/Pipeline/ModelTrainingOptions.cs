namespace Microsoft.ML.Pruning;

/// <summary>How <see cref="ModelCatalog.Train(Networks.Network, ModelTrainingOptions)"/> trains an architecture.</summary>
public sealed class ModelTrainingOptions
{
    /// <summary>Gets or sets the number of epochs.</summary>
    /// <value>The default is 10; it must be at least 1.</value>
    public int Epochs { get; set; } = 10;

    /// <summary>Gets or sets the Adam learning rate.</summary>
    /// <value>The default is 0.001; it must be positive and finite.</value>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Gets or sets the mini-batch size.</summary>
    /// <value>The default is 128; it must be at least 1.</value>
    public int BatchSize { get; set; } = 128;

    /// <summary>Gets or sets the share of the data held out for validation (best-epoch keeping) when <c>Fit</c> gets none.</summary>
    /// <value>The default is 0.1; it must be in (0, 0.5].</value>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>Gets or sets whether the report measures inference latency.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool MeasureLatency { get; set; }

    internal void Validate()
    {
        OptionChecks.Require(Epochs >= 1, nameof(Epochs), Epochs, "must be at least 1");
        OptionChecks.Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be positive and finite");
        OptionChecks.Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "must be at least 1");
        OptionChecks.Require(ValidationFraction is > 0 and <= 0.5, nameof(ValidationFraction), ValidationFraction, "must be in (0, 0.5]");
    }
}
