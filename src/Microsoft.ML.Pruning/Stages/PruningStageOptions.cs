using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.ML.Pruning.Workflow;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Options every pruning stage shares: the rate, the accuracy budget, calibration and which layers to prune.</summary>
public abstract class PruningStageOptions : StageOptions
{
    private protected PruningStageOptions()
        : base(epochs: 1)
    {
    }

    /// <summary>Gets or sets the fraction of the prunable units (or weights) to remove in one shot; a scheduler replaces it with its own rates.</summary>
    /// <value>The default is 0.5; it must be in (0, 1).</value>
    public double Rate { get; set; } = 0.5;

    /// <summary>
    /// Gets or sets the largest accuracy drop allowed, in accuracy units (0.005 is half a percentage point), from the
    /// pipeline's baseline: the model as it entered the first stage after the model stage. Pruning stages in a row share
    /// it, each keeping only the steps that stay within it, so the pipeline's report can say the budget was kept.
    /// </summary>
    /// <value>The default is 0.005; it must be in [0, 1].</value>
    public double MaximumAccuracyDrop { get; set; } = 0.005;

    /// <summary>Gets or sets whether <see cref="MaximumAccuracyDrop"/> is absolute or relative to the baseline accuracy.</summary>
    /// <value>The default is <see cref="BudgetKind.Absolute"/>.</value>
    public BudgetKind BudgetKind { get; set; } = BudgetKind.Absolute;

    /// <summary>Gets or sets how many training rows (a seeded sample) the criterion scores units on.</summary>
    /// <value>The default is 2048; it must be at least 1.</value>
    public int CalibrationSamples { get; set; } = 2048;

    /// <summary>Gets or sets the names of the layers to prune, or <see langword="null"/> for every prunable layer.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IReadOnlyList<string>? Layers { get; set; }

    /// <summary>Gets or sets whether the first prunable layer may be pruned.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool IncludeFirstLayer { get; set; } = true;

    /// <summary>Gets or sets whether units are ranked within each layer or across all layers.</summary>
    /// <value>The default is <see cref="RankingScope.PerLayer"/>.</value>
    public RankingScope Ranking { get; set; } = RankingScope.PerLayer;

    /// <summary>Gets or sets the fewest units a pruned layer keeps.</summary>
    /// <value>The default is 1; it must be at least 1.</value>
    public int MinimumUnits { get; set; } = 1;

    /// <summary>Gets or sets the multiple that kept unit counts are rounded to (8 suits SIMD kernels).</summary>
    /// <value>The default is 1; it must be at least 1.</value>
    public int RoundTo { get; set; } = 1;

    /// <summary>
    /// Gets or sets whether the stage may remove units of layers the pipeline keeps frozen (a model stage's
    /// <see cref="StageOptions.FrozenLayers"/>). When it may not, groups with a frozen producer stay whole and the report
    /// lists them among the skipped groups with that reason.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool PruneFrozenLayers { get; set; }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        OptionChecks.Require(Rate is > 0 and < 1, nameof(Rate), Rate, "must be in (0, 1)");
        OptionChecks.Require(MaximumAccuracyDrop is >= 0 and <= 1, nameof(MaximumAccuracyDrop), MaximumAccuracyDrop, "must be in [0, 1] (0.005 is half a point)");
        OptionChecks.Require(Enum.IsDefined(BudgetKind), nameof(BudgetKind), BudgetKind, "must be Absolute or Relative");
        OptionChecks.Require(CalibrationSamples >= 1, nameof(CalibrationSamples), CalibrationSamples, "must be at least 1");
        OptionChecks.Require(Enum.IsDefined(Ranking), nameof(Ranking), Ranking, "must be PerLayer or Global");
        OptionChecks.Require(MinimumUnits >= 1, nameof(MinimumUnits), MinimumUnits, "must be at least 1");
        OptionChecks.Require(RoundTo >= 1, nameof(RoundTo), RoundTo, "must be at least 1");
        StructuredOptions().Validate();
    }

    /// <inheritdoc/>
    private protected override void CopyCollections() => Layers = Layers?.ToArray();

    /// <summary>Creates the method each step applies (the criterion and removal, or masking).</summary>
    internal abstract PruningMethod CreateMethod();

    /// <summary>Creates the engine's stage: one step at <see cref="Rate"/>, unless a scheduler replaces the schedule.</summary>
    internal PruningStage CreateStage(int seed) => new(CreateMethod(), new OneShotSchedule(Rate), seed)
    {
        MaximumAccuracyDrop = MaximumAccuracyDrop,
        BudgetKind = BudgetKind,
        // Epochs = 0 skips fine-tuning: the loop then takes no trainer (a trainer needs at least one epoch).
        FineTuning = Epochs == 0 ? null : Training(),
        CalibrationSamples = CalibrationSamples,
        MeasureLatency = MeasureLatency,
        PruneFrozenLayers = PruneFrozenLayers,
    };

    internal StructuredPruningOptions StructuredOptions(double? scoreThreshold = null) => new()
    {
        Layers = Layers,
        IncludeFirstLayer = IncludeFirstLayer,
        Ranking = Ranking,
        MinimumUnits = MinimumUnits,
        RoundTo = RoundTo,
        ScoreThreshold = scoreThreshold,
    };
}
