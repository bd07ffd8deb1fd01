namespace Microsoft.ML.Pruning.Tests.Schedules;

/// <summary>Builds schedule contexts from a scripted history and a scripted probe curve.</summary>
internal static class ScheduleContexts
{
    /// <summary>A context whose steps were all kept at the given rates, with a probe that must not be called.</summary>
    public static PruningScheduleContext Accepted(params double[] rates) =>
        new(0.9, 0.01, rates.Select((r, i) => new PruningScheduleStep(i, r, 0.9, true)).ToArray(),
            rate => throw new InvalidOperationException($"unexpected probe at {rate}"));

    /// <summary>A context whose last step was rejected.</summary>
    public static PruningScheduleContext EndingInRejection(params double[] rates) =>
        new(0.9, 0.01, rates.Select((r, i) => new PruningScheduleStep(i, r, i == rates.Length - 1 ? 0.5 : 0.9, i != rates.Length - 1)).ToArray(),
            rate => throw new InvalidOperationException($"unexpected probe at {rate}"));

    /// <summary>A context with the given history and a probe that logs each rate and returns <paramref name="drop"/> of it.</summary>
    public static PruningScheduleContext Probing(double allowedDrop, IReadOnlyList<PruningScheduleStep> history, Func<double, double> drop, List<double> probes) =>
        new(0.9, allowedDrop, history, rate =>
        {
            probes.Add(rate);
            return drop(rate);
        });
}
