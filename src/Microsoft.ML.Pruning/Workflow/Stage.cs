namespace Microsoft.ML.Pruning.Workflow;

/// <summary>
/// One stage of a compression run, as a value: start a model (<see cref="TrainingStage"/>, <see cref="PretrainedStage"/>),
/// prune it under a schedule and an accuracy budget (<see cref="PruningStage"/>), or fine-tune it
/// (<see cref="FineTuningStage"/>). A stage says what to do; <see cref="StageRunner"/> does it, and owns what spans the
/// stages of a run: the held-out rows, the selection rows that training picks its best epoch on, seeds, the budget and
/// the chain of reports. ML.NET's estimators (<c>mlContext.Pruning()</c>) and the command-line tool are shells over
/// these values.
/// </summary>
/// <remarks>Stages are immutable: every setting is checked when it is set, and <c>with</c> makes a changed copy.</remarks>
public abstract record Stage
{
    private protected Stage(int seed)
    {
        Seed = seed;
    }

    /// <summary>Gets the seed of the stage's random choices: mini-batch order, calibration sample, new weights.</summary>
    public int Seed { get; init; }

    /// <summary>Gets whether the stage's report times inference (batch 1 and 256) before and after.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool MeasureLatency { get; init; }

    /// <summary>Gets the name the stage's report gives its method.</summary>
    internal abstract string ReportMethod { get; }

    /// <summary>Gets how the stage's report describes its schedule (for example <c>10 epochs</c>).</summary>
    internal abstract string ReportSchedule { get; }
}
