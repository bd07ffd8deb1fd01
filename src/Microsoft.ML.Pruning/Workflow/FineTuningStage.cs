namespace Microsoft.ML.Pruning.Workflow;

/// <summary>Trains the model that the stage before it left for more epochs (the best epoch kept).</summary>
public sealed record FineTuningStage : Stage
{
    /// <summary>Creates the stage.</summary>
    /// <param name="training">How to train.</param>
    /// <param name="seed">The seed of the mini-batch order.</param>
    public FineTuningStage(StageTrainingOptions training, int seed)
        : base(seed)
    {
        Training = training;
    }

    /// <summary>Gets how the stage trains.</summary>
    public StageTrainingOptions Training
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Training));
    }

    internal override string ReportMethod => "fine-tuning";

    internal override string ReportSchedule => $"{Training.Epochs} epochs";
}
