using Microsoft.ML.Pruning.Schedules;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Loop;

/// <summary>Options of <see cref="Pruner.Run"/>: what to prune with, how fast, within which accuracy budget, and how to fine-tune.</summary>
public sealed class PrunerOptions
{
    /// <summary>Gets or sets what each step does to the network (structural removal or weight masking).</summary>
    /// <value>Required; the default is <see langword="null"/>, which <see cref="Validate"/> rejects.</value>
    public PruningMethod? Method { get; set; }

    /// <summary>Gets or sets the schedule that chooses each step's rate and ends the run.</summary>
    /// <value>The default is <see cref="Schedules.PruningSchedules.OneShot"/> at rate 0.5.</value>
    public IPruningSchedule Schedule { get; set; } = new OneShotSchedule(0.5);

    /// <summary>Gets or sets the largest accuracy drop from the baseline that a step may cause and still be kept.</summary>
    /// <value>The default is 0.005: half an accuracy point with <see cref="BudgetKind.Absolute"/>. In [0, 1].</value>
    public double MaximumAccuracyDrop { get; set; } = 0.005;

    /// <summary>Gets or sets whether <see cref="MaximumAccuracyDrop"/> is in accuracy points or a fraction of the baseline accuracy.</summary>
    /// <value>The default is <see cref="Loop.BudgetKind.Absolute"/>.</value>
    public BudgetKind BudgetKind { get; set; } = BudgetKind.Absolute;

    /// <summary>
    /// Gets or sets how each pruned model is retrained before it is evaluated, or <see langword="null"/> to evaluate it
    /// without fine-tuning. A given <see cref="TrainerOptions.Optimizer"/> is reset (its moments cleared, its learning
    /// rate restored) before every fine-tuning, so each step starts afresh.
    /// </summary>
    /// <remarks>
    /// The split that picks the fine-tuning's best epoch is separate from the one that judges the budget. When these
    /// options pick an epoch (<see cref="TrainerOptions.KeepBestCheckpoint"/> with more than one epoch, or
    /// <see cref="TrainerOptions.Patience"/> above 0), each fine-tuning holds out a tenth of the training data (shuffled
    /// with <see cref="Seed"/>, the same tenth at every step) to pick on, and trains on the rest; the validation data
    /// given to <see cref="Pruner.Run"/> is used only to judge each step against the budget. Otherwise the fine-tuning
    /// trains on all the training data and sees no validation data.
    /// </remarks>
    /// <value>The default is one epoch of Adam at learning rate 0.001 with batches of 128, keeping the best checkpoint.</value>
    public TrainerOptions? FineTuning { get; set; } = new() { Epochs = 1, BatchSize = 128, KeepBestCheckpoint = true };

    /// <summary>
    /// Gets or sets how many training samples, drawn by a shuffle seeded with <see cref="Seed"/>, are given to the method
    /// as calibration data (for criteria that read activations or gradients).
    /// </summary>
    /// <value>The default is 2048; at least 1. The whole training set is used when it is smaller.</value>
    public int CalibrationSamples { get; set; } = 2048;

    /// <summary>Gets or sets the most pruning steps of a run (rejected ones included, the auxiliary-layer insertion not).</summary>
    /// <value>The default is 100; at least 1.</value>
    public int MaximumSteps { get; set; } = 100;

    /// <summary>
    /// Gets or sets the width of an auxiliary Dense layer to insert, once, when the first step is rejected (seeds/002,
    /// section B, uses 20, 40 or 60 neurons); <see langword="null"/> for none. The layer goes after the activation of the
    /// middle hidden Dense layer, the model is retrained, and the schedule starts again on the new structure.
    /// </summary>
    /// <value>The default is <see langword="null"/>: no insertion; the first rejected step ends the run. At least 1 when set.</value>
    public int? AuxiliaryLayerUnits { get; set; }

    /// <summary>Gets or sets whether snapshots include the inference latency (batch 1 and batch 256, median of a few runs).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool MeasureLatency { get; set; } = true;

    /// <summary>Gets or sets the seed of the calibration sample and of the auxiliary layer's initial weights.</summary>
    /// <value>The default is 0.</value>
    public int Seed { get; set; }

    /// <summary>Checks every option and throws for the first bad one.</summary>
    /// <exception cref="ArgumentNullException"><see cref="Method"/> or <see cref="Schedule"/> is not set; the message names it.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and the allowed range.</exception>
    public void Validate()
    {
        if (Method is null)
        {
            throw new ArgumentNullException(nameof(Method), "PrunerOptions.Method is required: set it to a PruningMethod such as StructuredPruning or UnstructuredMagnitudePruning.");
        }

        if (Schedule is null)
        {
            throw new ArgumentNullException(nameof(Schedule), "PrunerOptions.Schedule is required: set it to an IPruningSchedule such as PruningSchedules.OneShot(0.5).");
        }

        Check(MaximumAccuracyDrop is >= 0 and <= 1, nameof(MaximumAccuracyDrop), MaximumAccuracyDrop, "in [0, 1]");
        Check(Enum.IsDefined(BudgetKind), nameof(BudgetKind), BudgetKind, "Absolute or Relative");
        Check(CalibrationSamples >= 1, nameof(CalibrationSamples), CalibrationSamples, "at least 1");
        Check(MaximumSteps >= 1, nameof(MaximumSteps), MaximumSteps, "at least 1");
        Check(AuxiliaryLayerUnits is null or >= 1, nameof(AuxiliaryLayerUnits), AuxiliaryLayerUnits, "null or at least 1");
        if (FineTuning is not null)
        {
            try
            {
                FineTuning.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                // The trainer's message without the " (Parameter '...')" and actual-value lines that the exception appends.
                string option = $"{nameof(FineTuning)}.{e.ParamName}", detail = e.Message;
                int cut = detail.IndexOf(" (Parameter '", StringComparison.Ordinal);
                throw new ArgumentOutOfRangeException(option, e.ActualValue, $"PrunerOptions.{option} is out of range: {(cut >= 0 ? detail[..cut] : detail)}");
            }
        }
    }

    private static void Check(bool valid, string name, object? value, string allowed)
    {
        if (!valid)
        {
            throw new ArgumentOutOfRangeException(name, value, $"PrunerOptions.{name} must be {allowed}.");
        }
    }
}
