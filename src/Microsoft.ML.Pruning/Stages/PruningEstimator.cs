using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Schedules;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// A pruning stage: score the units, remove the lowest, fine-tune and evaluate under the accuracy budget, rolling back a
/// step that breaks it. On its own it prunes once at <see cref="PruningStageOptions.Rate"/>; wrap it in a scheduler
/// (<see cref="PruningCatalog.AdaptiveRate(PruningEstimator, AdaptiveRateSchedulerOptions)"/> and others) to prune step by step.
/// </summary>
public abstract class PruningEstimator : NetworkStageEstimator
{
    private protected PruningEstimator(PruningStageOptions options, int contextSeed)
        : base(options, contextSeed)
    {
    }

    /// <summary>Gets the stage's pruning options (its own copy).</summary>
    private protected PruningStageOptions PruningSettings => (PruningStageOptions)Settings;

    /// <summary>Gets whether this stage is a scheduler (which cannot be wrapped in another).</summary>
    internal virtual bool IsScheduler => false;

    /// <summary>Gets the step limit.</summary>
    internal virtual int MaximumSteps => 100;

    /// <summary>Gets the size of the auxiliary layer to insert once pruning converges, or <see langword="null"/>.</summary>
    internal virtual int? AuxiliaryLayerUnits => null;

    private protected override bool StartsModel => false;

    /// <summary>Returns a copy of the options with the seed this stage settled on (so a scheduler around it draws the same choices).</summary>
    internal PruningStageOptions PruningSettingsCopy()
    {
        var copy = (PruningStageOptions)Settings.Copy();
        copy.Seed = Seed;
        return copy;
    }

    /// <summary>Creates the pruning method (criterion and removal) applied at each step.</summary>
    internal abstract PruningMethod CreateMethod();

    /// <summary>Creates the schedule; a single stage prunes once.</summary>
    internal virtual IPruningSchedule CreateSchedule() => new OneShotSchedule(PruningSettings.Rate);

    private protected override (Network Network, PruningReport Report, bool Cancelled) Run(Network network, Dataset training, Dataset validation)
    {
        var settings = PruningSettings;
        var options = new PrunerOptions
        {
            Method = CreateMethod(),
            Schedule = CreateSchedule(),
            MaximumAccuracyDrop = settings.MaximumAccuracyDrop,
            BudgetKind = settings.BudgetKind,
            // Epochs = 0 skips fine-tuning: the loop then takes no trainer (a trainer needs at least one epoch).
            FineTuning = settings.Epochs == 0 ? null : settings.CreateTrainerOptions(Seed),
            CalibrationSamples = settings.CalibrationSamples,
            MaximumSteps = MaximumSteps,
            AuxiliaryLayerUnits = AuxiliaryLayerUnits,
            MeasureLatency = settings.MeasureLatency,
            Seed = Seed,
        };
        var result = Pruner.Run(network, training, validation, options, settings.Progress, settings.CancellationToken);
        return (result.Network, result.Report, result.Cancelled);
    }
}
