using Microsoft.ML.Pruning.Workflow;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// A pruning stage: score the units, remove the lowest, fine-tune and evaluate under the accuracy budget, rolling back a
/// step that breaks it. On its own it prunes once at <see cref="PruningStageOptions.Rate"/>; wrap it in a scheduler
/// (<see cref="PruningCatalog.AdaptiveRate(PruningEstimator, AdaptiveRateSchedulerOptions)"/> and others) to prune step
/// by step. A shell over <see cref="Workflow.PruningStage"/>: the criterion comes from the options
/// (<c>CreateMethod</c>), so a new criterion needs an options class and a catalog method, nothing more.
/// </summary>
public abstract class PruningEstimator : NetworkStageEstimator
{
    private protected PruningEstimator(PruningStageOptions options, int contextSeed, IHostEnvironment? environment)
        : base(options, contextSeed, environment)
    {
        PruningStage = ((PruningStageOptions)Settings).CreateStage(Seed);
    }

    /// <summary>Gets whether this stage is a scheduler (which cannot be wrapped in another).</summary>
    internal virtual bool IsScheduler => false;

    /// <summary>Gets the engine's stage: the method, schedule, budget and fine-tuning.</summary>
    internal PruningStage PruningStage { get; private protected set; }

    internal override Stage Stage => PruningStage;

    /// <summary>Returns a copy of the options with the seed this stage settled on (so a scheduler around it draws the same choices).</summary>
    internal PruningStageOptions PruningSettingsCopy()
    {
        var copy = (PruningStageOptions)Settings.Copy();
        copy.Seed = Seed;
        return copy;
    }
}
