using System.Globalization;
using Microsoft.ML.Pruning.Loop;

namespace Microsoft.ML.Pruning.Reports;

/// <summary>
/// What a report's reader must not miss, in plain sentences: steps rolled back for breaking the budget, a run that
/// pruned nothing, a final model over the budget. <see cref="PruningReport.ToTable"/> and the HTML page put them first.
/// </summary>
internal static class ReportNotes
{
    /// <summary>Returns the notes of a report, most important first; empty when there is nothing to say.</summary>
    public static IReadOnlyList<string> Of(PruningReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var notes = new List<string>();
        double? baseline = report.Baseline.Accuracy;
        foreach (var step in report.Steps.Where(s => !s.Accepted))
        {
            string rate = step.Phase == "prune" ? string.Create(c, $" at rate {step.Rate:0.###}") : "";
            string what = $"step {step.Step} ({step.Phase}{rate}) was rolled back";
            string budget = report.AllowedDrop is { } a ? string.Create(c, $", more than the {a * 100:0.##} allowed") : "";
            notes.Add(step.Model.Accuracy is { } accuracy && baseline is { } b
                ? string.Create(c, $"{what}: it left {accuracy * 100:0.00} % accuracy, {(b - accuracy) * 100:0.##} points below the baseline's {b * 100:0.00} %{budget}; the model before it was kept.")
                : $"{what}; the model before it was kept.");
        }

        if (report.Steps.Any(s => s.Phase == "prune") && report.Removed == 0)
        {
            notes.Add("nothing was pruned: every pruning step was rolled back or removed nothing, so the model keeps every unit and weight it started with.");
        }

        if (report.AllowedDrop is { } allowed && baseline is { } start && report.Final.Accuracy is { } final && !AccuracyBudget.IsWithin(start - final, allowed))
        {
            notes.Add(string.Create(c, $"over the budget: the final model is {(start - final) * 100:0.##} points below the baseline, more than the {allowed * 100:0.##} allowed; only pruning steps are held to the budget, not the training after them."));
        }

        return notes;
    }
}
