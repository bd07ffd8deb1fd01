namespace Microsoft.ML.Pruning.Schedules;

/// <summary>Prunes iteratively at one fixed rate until a step breaks the accuracy budget or a step limit is reached.</summary>
/// <remarks>
/// The static pruning rate of seeds/002 (Esfandiarpoor et al., "Simplified Neural Network Based on Auxiliary Layer and
/// Adaptive Pruning Rate", section A.1 and Table I, which prunes an 80-60-40 MLP at rate 0.2 with a 0.5-point budget):
/// every step removes the same fraction of what remains, and the run ends at the first step whose fine-tuned accuracy
/// falls outside the budget (that step is rolled back). Small rates take many steps; large ones may fail at once.
/// </remarks>
internal sealed class FixedRateSchedule : IPruningSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="rate">The fraction of the remaining units (or weights) each step removes, in (0, 1). The default is 0.2, as in seeds/002 Table I.</param>
    /// <param name="maximumSteps">The most steps to take, at least 1. The default is 100.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the message names it.</exception>
    public FixedRateSchedule(double rate = 0.2, int maximumSteps = 100)
    {
        Rate = ScheduleArguments.OpenFraction(rate, nameof(rate));
        MaximumSteps = ScheduleArguments.AtLeastOne(maximumSteps, nameof(maximumSteps));
    }

    /// <summary>Gets the rate of every step.</summary>
    public double Rate { get; }

    /// <summary>Gets the most steps the schedule takes.</summary>
    public int MaximumSteps { get; }

    /// <inheritdoc/>
    public string Name => $"fixed rate {ScheduleArguments.Format(Rate)}";

    /// <summary>Returns <see cref="Rate"/> until the last step was rejected or <see cref="MaximumSteps"/> steps were taken.</summary>
    /// <param name="context">The context; only its history is read.</param>
    /// <returns>The rate, or <see langword="null"/> to stop.</returns>
    public double? NextRate(PruningScheduleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.History.Count >= MaximumSteps || ScheduleArguments.LastStepRejected(context) ? null : Rate;
    }
}
