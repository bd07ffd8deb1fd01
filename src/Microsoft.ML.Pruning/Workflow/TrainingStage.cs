using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Workflow;

/// <summary>A model stage that trains a network from its initial weights (an architecture, for example from <see cref="NetworkBuilder"/>).</summary>
public sealed record TrainingStage : ModelStage
{
    /// <summary>Creates the stage.</summary>
    /// <param name="architecture">The network to train; copied, never changed.</param>
    /// <param name="training">How to train it.</param>
    /// <param name="seed">The seed of the held-out split and of the mini-batch order.</param>
    public TrainingStage(Network architecture, StageTrainingOptions training, int seed)
        : base(architecture, seed)
    {
        Training = training;
    }

    /// <summary>Gets how the stage trains.</summary>
    public StageTrainingOptions Training
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Training));
    }

    internal override string ReportMethod => "training";

    internal override string ReportSchedule => $"{Training.Epochs} epochs";
}
