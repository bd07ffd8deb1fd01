namespace Microsoft.ML.Pruning.Schedules;

/// <summary>Prunes once at a fixed rate, then stops.</summary>
/// <remarks>
/// The direct (one-shot) pruning that seeds/004 (Fig. 11) compares with iterative pruning: all the pruning happens in
/// one step, followed by one fine-tuning. The step is still checked against the accuracy budget and rolled back when
/// it breaks it.
/// </remarks>
internal sealed class OneShotSchedule : IPruningSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="rate">The fraction of the prunable units (or weights) to remove, greater than 0 and less than 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is not in (0, 1).</exception>
    public OneShotSchedule(double rate)
    {
        Rate = ScheduleArguments.OpenFraction(rate, nameof(rate));
    }

    /// <summary>Gets the rate of the single step.</summary>
    public double Rate { get; }

    /// <inheritdoc/>
    public string Name => $"one-shot {ScheduleArguments.Format(Rate)}";

    /// <summary>Returns <see cref="Rate"/> for the first step and <see langword="null"/> afterwards.</summary>
    /// <param name="context">The context; only its history's length is read.</param>
    /// <returns>The rate, or <see langword="null"/> once a step has been taken.</returns>
    public double? NextRate(PruningScheduleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.History.Count == 0 ? Rate : null;
    }
}
