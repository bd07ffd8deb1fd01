namespace Microsoft.ML.Pruning.Stages;

/// <summary>A scheduler: prunes step by step with the wrapped stage's criterion, budget and fine-tuning, at the rates its schedule gives.</summary>
public abstract class SchedulerEstimator : PruningEstimator
{
    private readonly PruningEstimator _stage;

    private protected SchedulerEstimator(PruningEstimator stage, SchedulerOptions options)
        : base(Checked(stage).PruningSettingsCopy(), 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _stage = stage;
        SchedulerSettings = options.Copy();
    }

    /// <summary>Gets the scheduler's own copy of its options.</summary>
    private protected SchedulerOptions SchedulerSettings { get; }

    internal override bool IsScheduler => true;

    internal override int MaximumSteps => SchedulerSettings.MaximumSteps;

    internal override PruningMethod CreateMethod() => _stage.CreateMethod();

    private static PruningEstimator Checked(PruningEstimator stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (stage.IsScheduler)
        {
            throw new ArgumentException($"A scheduler wraps a pruning stage (APoZ, magnitude, ...), not another scheduler ({stage.GetType().Name}).", nameof(stage));
        }

        return stage;
    }
}
