using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Pruning;

namespace Microsoft.ML.Pruning;

/// <summary>
/// A pruning stage: score, remove, fine-tune and evaluate under an accuracy budget, rolling back a step that breaks it.
/// On its own it prunes once at <see cref="PruningEstimatorOptions.Rate"/>; wrap it in a scheduler
/// (<see cref="PruningCatalog.AdaptiveRate(PruningEstimator, int?)"/> and others) to prune step by step.
/// </summary>
public abstract class PruningEstimator : StageEstimator
{
    private protected PruningEstimator(PruningContext context, PruningEstimatorOptions options)
        : base(context, options)
    {
        Options = options;
    }

    /// <summary>Gets the options the stage was built with.</summary>
    public PruningEstimatorOptions Options { get; }

    /// <summary>Creates the pruning method (criterion and removal) this stage applies at each step.</summary>
    internal abstract PruningMethod CreateMethod();

    /// <summary>Creates the schedule; a single stage prunes once.</summary>
    internal virtual IPruningSchedule CreateSchedule() => new OneShotSchedule(Options.Rate);

    /// <summary>Gets the size of the auxiliary layer to insert once pruning converges, or <see langword="null"/>.</summary>
    internal virtual int? AuxiliaryLayerUnits => null;

    /// <summary>Gets the step limit.</summary>
    internal virtual int MaximumSteps => 100;

    private protected override (Network Network, PruningReport Report, bool Cancelled) Run(Network network, Dataset training, Dataset validation, FitContext context)
    {
        var options = new PrunerOptions
        {
            Method = CreateMethod(),
            Schedule = CreateSchedule(),
            MaximumAccuracyDrop = Options.MaximumAccuracyDrop,
            BudgetKind = Options.BudgetKind,
            // FineTuningEpochs = 0 skips fine-tuning: the loop takes no trainer (a trainer needs at least one epoch).
            FineTuning = Options.FineTuningEpochs == 0 ? null : Options.CreateTrainerOptions(Context.Seed),
            CalibrationSamples = Options.CalibrationSamples,
            MaximumSteps = MaximumSteps,
            AuxiliaryLayerUnits = AuxiliaryLayerUnits,
            MeasureLatency = Options.MeasureLatency,
            Seed = Context.Seed,
        };
        var result = Pruner.Run(network, training, validation, options, context.Progress, context.CancellationToken);
        return (result.Network, result.Report, result.Cancelled);
    }
}
