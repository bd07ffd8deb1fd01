namespace Microsoft.ML.Pruning;

/// <summary>Chooses the pruning rate of each step of a pruning run, or stops it.</summary>
/// <remarks>
/// A rate is the fraction of the units (or weights) that remain before the step which the step removes. Schedules are
/// stateless: everything they need is in the <see cref="PruningScheduleContext"/>, so one instance can serve many runs.
/// </remarks>
public interface IPruningSchedule
{
    /// <summary>Gets the schedule's name, as reports show it.</summary>
    string Name { get; }

    /// <summary>Chooses the next step's rate.</summary>
    /// <param name="context">The baseline, the budget, the history and a probe.</param>
    /// <returns>The rate in (0, 1), or <see langword="null"/> to stop.</returns>
    double? NextRate(PruningScheduleContext context);
}
