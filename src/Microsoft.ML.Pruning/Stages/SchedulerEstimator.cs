using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>A scheduler: prunes step by step with the wrapped stage's criterion, budget and fine-tuning, at the rates its schedule gives.</summary>
public abstract class SchedulerEstimator : PruningEstimator
{
    private protected SchedulerEstimator(PruningEstimator stage, SchedulerOptions options, IPruningSchedule? schedule, IHostEnvironment? environment)
        : base(Checked(stage).PruningSettingsCopy(), stage.Seed, environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var settings = options.Copy();
        PruningStage = stage.PruningStage with
        {
            Schedule = schedule ?? settings.CreateSchedule(),
            MaximumSteps = settings.MaximumSteps,
            AuxiliaryLayerUnits = settings.AuxiliaryUnits(),
        };
    }

    internal override bool IsScheduler => true;

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
