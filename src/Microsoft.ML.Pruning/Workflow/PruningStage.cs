using Microsoft.ML.Pruning.Loop;

namespace Microsoft.ML.Pruning.Workflow;

/// <summary>
/// Prunes the model that the stage before it left: at each step the <see cref="Schedule"/>'s rate, the
/// <see cref="Method"/> (a criterion and structural removal, or masking), fine-tuning, and a check against the accuracy
/// budget that rolls back a step that breaks it (see <see cref="Pruner.Run"/>).
/// </summary>
/// <remarks>
/// The budget is the run's, not the stage's: it is measured from the run's baseline, the model as it entered the first
/// stage after the model stage, on the rows every stage holds out. So several pruning stages in a row share one budget
/// (each may spend what the ones before it left), and the run's report can say what was checked.
/// </remarks>
public sealed record PruningStage : Stage
{
    /// <summary>Creates the stage.</summary>
    /// <param name="method">What each step does to the network.</param>
    /// <param name="schedule">The rate of each step, and when to stop.</param>
    /// <param name="seed">The seed of the calibration sample, fine-tuning and new weights.</param>
    public PruningStage(PruningMethod method, IPruningSchedule schedule, int seed)
        : base(seed)
    {
        Method = method;
        Schedule = schedule;
    }

    /// <summary>Gets what each step does to the network.</summary>
    public PruningMethod Method
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Method));
    }

    /// <summary>Gets the schedule that chooses each step's rate and ends the stage.</summary>
    public IPruningSchedule Schedule
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Schedule));
    }

    /// <summary>Gets the largest accuracy drop from the run's baseline that a step may leave (0.005 is half a point).</summary>
    /// <value>The default is 0.005; in [0, 1].</value>
    public double MaximumAccuracyDrop
    {
        get;
        init => field = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaximumAccuracyDrop), value, $"MaximumAccuracyDrop must be in [0, 1] (0.005 is half a point); got {value}.");
    } = 0.005;

    /// <summary>Gets whether <see cref="MaximumAccuracyDrop"/> is in accuracy points or a fraction of the baseline accuracy.</summary>
    /// <value>The default is <see cref="BudgetKind.Absolute"/>.</value>
    public BudgetKind BudgetKind
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(BudgetKind), value, $"BudgetKind must be Absolute or Relative; got {value}.");
    }

    /// <summary>Gets how each pruned model is retrained before it is judged, or <see langword="null"/> to judge it as pruned.</summary>
    /// <value>The default is one epoch.</value>
    public StageTrainingOptions? FineTuning { get; init; } = new(1);

    /// <summary>Gets how many training rows (a seeded sample) criteria that read activations or gradients are given.</summary>
    /// <value>The default is 2048; at least 1.</value>
    public int CalibrationSamples
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(CalibrationSamples), value, $"CalibrationSamples must be at least 1; got {value}.");
    } = 2048;

    /// <summary>Gets the most steps the stage takes (rejected ones included).</summary>
    /// <value>The default is 100; at least 1.</value>
    public int MaximumSteps
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaximumSteps), value, $"MaximumSteps must be at least 1; got {value}.");
    } = 100;

    /// <summary>Gets the width of an auxiliary Dense layer inserted once, when the first step is rejected, or <see langword="null"/> for none.</summary>
    /// <value>The default is <see langword="null"/>; when set, at least 1.</value>
    public int? AuxiliaryLayerUnits
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(AuxiliaryLayerUnits), value, $"AuxiliaryLayerUnits must be at least 1 when set; got {value}.");
    }

    /// <summary>
    /// Gets whether structural pruning may remove units of layers the run keeps frozen (the model stage's
    /// <see cref="StageTrainingOptions.FrozenLayers"/>). When it may not, a group with a frozen producer is left whole, and the
    /// report lists it among the skipped groups with that reason.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool PruneFrozenLayers { get; init; }

    internal override string ReportMethod => Method.Name;

    internal override string ReportSchedule => Schedule.Name;
}
