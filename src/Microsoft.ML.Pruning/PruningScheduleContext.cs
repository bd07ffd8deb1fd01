namespace Microsoft.ML.Pruning;

/// <summary>What a <see cref="IPruningSchedule"/> may look at when it chooses the next rate.</summary>
public sealed class PruningScheduleContext
{
    private readonly Func<double, double> _probe;

    /// <summary>Creates a context.</summary>
    /// <param name="baselineAccuracy">The accuracy of the unpruned model, in [0, 1].</param>
    /// <param name="allowedDrop">The largest accuracy drop from the baseline that the budget allows, absolute, in [0, 1].</param>
    /// <param name="history">The steps taken so far.</param>
    /// <param name="probeAccuracyDrop">
    /// Prunes a copy of the current model at a rate, evaluates it without fine-tuning and returns its accuracy drop from
    /// the baseline (absolute, positive when worse). Used by schedules that search for a rate, such as the adaptive one.
    /// </param>
    public PruningScheduleContext(double baselineAccuracy, double allowedDrop, IReadOnlyList<PruningScheduleStep> history, Func<double, double> probeAccuracyDrop)
        : this(baselineAccuracy, allowedDrop, history, probeAccuracyDrop, null)
    {
    }

    /// <summary>Creates a context that also says how much of the prunable model remains.</summary>
    /// <param name="baselineAccuracy">The accuracy of the unpruned model, in [0, 1].</param>
    /// <param name="allowedDrop">The largest accuracy drop from the baseline that the budget allows, absolute, in [0, 1].</param>
    /// <param name="history">The steps taken so far.</param>
    /// <param name="probeAccuracyDrop">As in the other constructor.</param>
    /// <param name="remainingFraction">
    /// The fraction of the prunable units (or weights) at the start of the schedule that remain now, in [0, 1], or
    /// <see langword="null"/> when the method cannot count them.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="remainingFraction"/> is outside [0, 1].</exception>
    public PruningScheduleContext(double baselineAccuracy, double allowedDrop, IReadOnlyList<PruningScheduleStep> history, Func<double, double> probeAccuracyDrop, double? remainingFraction)
    {
        if (remainingFraction is { } fraction && !(fraction is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(remainingFraction), fraction, "remainingFraction must be in [0, 1].");
        }

        RemainingFraction = remainingFraction;
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(probeAccuracyDrop);
        BaselineAccuracy = baselineAccuracy;
        AllowedDrop = allowedDrop;
        History = history;
        _probe = probeAccuracyDrop;
    }

    /// <summary>Gets the index of the step being planned (the number of steps taken so far).</summary>
    public int Step => History.Count;

    /// <summary>Gets the accuracy of the unpruned model, in [0, 1].</summary>
    public double BaselineAccuracy { get; }

    /// <summary>Gets the largest allowed accuracy drop from the baseline, absolute, in [0, 1].</summary>
    public double AllowedDrop { get; }

    /// <summary>
    /// Gets the fraction of the prunable units (or weights) at the start of the schedule that remain now, as the method
    /// counts them (<see cref="PruningMethod.CountPrunable"/>), or <see langword="null"/> when it cannot. Structural
    /// methods remove whole units, so this can differ from the product of the rates asked for.
    /// </summary>
    public double? RemainingFraction { get; }

    /// <summary>Gets the steps taken so far, oldest first.</summary>
    public IReadOnlyList<PruningScheduleStep> History { get; }

    /// <summary>Prunes a copy of the current model at <paramref name="rate"/> and returns its accuracy drop without fine-tuning.</summary>
    /// <param name="rate">The fraction of the remaining units (or weights) to remove, in (0, 1).</param>
    /// <returns>The accuracy drop from the baseline, absolute (positive when the copy is worse).</returns>
    public double ProbeAccuracyDrop(double rate) => _probe(rate);
}
