namespace Microsoft.ML.Pruning.Workflow;

/// <summary>Combines the reports of a run's stages into one.</summary>
internal static class ReportChain
{
    /// <summary>
    /// Combines stage reports: the first is the model stage's (training or loading); the combined report starts from
    /// the model as it entered the first stage after it, so its baseline is never an untrained network.
    /// </summary>
    /// <param name="reports">The stages' reports, the model stage's first.</param>
    /// <param name="allowedDrop">
    /// The drop from the combined baseline that the run's last pruning stage held its steps to, or <see langword="null"/>
    /// when no stage checked a budget: the combined report claims only what was checked.
    /// </param>
    public static PruningReport Combine(IReadOnlyList<PruningReport> reports, double? allowedDrop)
    {
        if (reports.Count == 1)
        {
            return reports[0];
        }

        var stages = reports.Skip(1).ToArray();
        if (stages.Length == 1)
        {
            return stages[0];
        }

        var steps = new List<PruningStepReport>();
        foreach (var step in stages.SelectMany(r => r.Steps))
        {
            steps.Add(new PruningStepReport { Step = steps.Count, Phase = step.Phase, Rate = step.Rate, Removed = step.Removed, Accepted = step.Accepted, Warnings = step.Warnings, Model = step.Model });
        }

        return new PruningReport
        {
            Method = string.Join(" -> ", stages.Select(r => r.Method)),
            Schedule = string.Join(" -> ", stages.Select(r => r.Schedule)),
            AllowedDrop = allowedDrop,
            Baseline = stages[0].Baseline,
            Final = stages[^1].Final,
            Steps = steps,
            SkippedGroups = stages.SelectMany(r => r.SkippedGroups).DistinctBy(g => g.Name).ToArray(),
            Sensitivity = stages.SelectMany(r => r.Sensitivity).ToArray(),
            ElapsedSeconds = stages.Sum(r => r.ElapsedSeconds),
            Cancelled = stages.Any(r => r.Cancelled),
        };
    }
}
