using System.Text;
using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Reports;

/// <summary>
/// Renders a <see cref="PruningReport"/> as one self-contained HTML page: no scripts and no external resources, the
/// charts drawn as inline SVG, the style sheet inline.
/// </summary>
/// <remarks>
/// The page holds the key figures; the summary table (parameters, nonzeros, multiply-adds, bytes, latency at batch 1
/// and 256, accuracy and loss, before and after, with their ratio); the chart of accuracy against the remaining
/// parameters over the steps (<c>svg#chart-accuracy-vs-parameters</c>: the baseline in grey, accepted steps filled,
/// rejected steps hollow, the allowed-drop floor dashed); the steps table; the layer widths before and after as grouped
/// bars (<c>svg#chart-layer-widths</c>) with a per-layer table; and the per-layer sensitivity curves
/// (<c>svg#chart-sensitivity</c>), replaced by a note when the report has no sensitivity sweep. Every text taken from
/// the report is HTML-escaped, and every number is formatted in the invariant culture, so the same report always gives
/// the same page.
/// </remarks>
public static class HtmlReport
{
    /// <summary>Renders the report as an HTML page.</summary>
    /// <param name="report">The report.</param>
    /// <param name="title">The page title; by default <c>Pruning report: </c> and the method's name.</param>
    /// <returns>The HTML text of the whole page.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    /// <exception cref="ArgumentException">The report's <see cref="PruningReport.Baseline"/>, <see cref="PruningReport.Final"/>, or one of its steps or their models is null.</exception>
    public static string Render(PruningReport report, string? title = null)
    {
        Validate(report);
        title ??= string.IsNullOrWhiteSpace(report.Method) ? "Pruning report" : $"Pruning report: {report.Method}";
        var s = new StringBuilder(16 * 1024);
        s.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        s.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        s.Append($"<title>{Html.Escape(title)}</title>\n<style>\n{ReportStyle.Css}\n</style>\n</head>\n<body>\n<main>\n");
        s.Append($"<h1>{Html.Escape(title)}</h1>\n");
        s.Append($"<p class=\"meta\">method <strong>{Html.Escape(Or(report.Method))}</strong> \u00b7 schedule <strong>{Html.Escape(Or(report.Schedule))}</strong>");
        string budget = report.AllowedDrop is { } allowed ? $"allowed accuracy drop {Html.Format(allowed * 100, "0.##")} points" : "no accuracy budget";
        s.Append($" \u00b7 {budget} \u00b7 elapsed {Html.Number(report.ElapsedSeconds, "0.0")} s</p>\n");
        if (report.Cancelled)
        {
            s.Append("<p class=\"banner\" id=\"cancelled\">The run was cancelled; the report describes the best model found before that.</p>\n");
        }

        foreach (string note in ReportNotes.Of(report))
        {
            s.Append($"<p class=\"banner\">{Html.Escape(note)}</p>\n");
        }

        KeyFigures(s, report);

        s.Append("<section id=\"summary-section\">\n<h2>Before and after</h2>\n");
        ReportTables.Summary(s, report);
        s.Append("</section>\n");

        s.Append("<section id=\"accuracy-section\">\n<h2>Accuracy over the steps</h2>\n");
        AccuracyChart.Render(s, report);
        s.Append("</section>\n");

        s.Append("<section id=\"steps-section\">\n<h2>Steps</h2>\n");
        ReportTables.Steps(s, report);
        s.Append("</section>\n");

        s.Append("<section id=\"layers-section\">\n<h2>Layer widths</h2>\n");
        LayerWidthChart.Render(s, report);
        ReportTables.Layers(s, report);
        s.Append("</section>\n");

        if (report.SkippedGroups is { Count: > 0 } skipped)
        {
            s.Append("<section id=\"skipped-section\">\n<h2>Groups left unpruned</h2>\n<table id=\"skipped-table\">\n<thead><tr><th scope=\"col\" class=\"text\">group</th><th scope=\"col\">units</th><th scope=\"col\" class=\"text\">why</th></tr></thead>\n<tbody>\n");
            foreach (var group in skipped)
            {
                s.Append("<tr><td class=\"text name\">").Append(Html.Escape(group.Name)).Append("</td><td>").Append(Html.Count(group.Units))
                    .Append("</td><td class=\"text\">").Append(Html.Escape(group.Reason)).Append("</td></tr>\n");
            }

            s.Append("</tbody>\n</table>\n</section>\n");
        }

        s.Append("<section id=\"sensitivity-section\">\n<h2>Layer sensitivity</h2>\n");
        SensitivityChart.Render(s, report);
        s.Append("</section>\n");

        s.Append("</main>\n</body>\n</html>\n");
        return s.ToString();
    }

    /// <summary>Renders the report and writes the page to a file as UTF-8, atomically (a crash leaves the old file or the new one, never half of one).</summary>
    /// <param name="report">The report.</param>
    /// <param name="path">The file path, usually ending in <c>.html</c>.</param>
    /// <param name="title">The page title; by default <c>Pruning report: </c> and the method's name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty, or the report is incomplete (see <see cref="Render"/>).</exception>
    public static void Save(PruningReport report, string path, string? title = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(Render(report, title));
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    private static void Validate(PruningReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Baseline is null || report.Final is null)
        {
            throw new ArgumentException($"The report's {(report.Baseline is null ? nameof(PruningReport.Baseline) : nameof(PruningReport.Final))} snapshot is null.", nameof(report));
        }

        if (report.Steps is null || report.Sensitivity is null)
        {
            throw new ArgumentException($"The report's {(report.Steps is null ? nameof(PruningReport.Steps) : nameof(PruningReport.Sensitivity))} list is null.", nameof(report));
        }

        for (int i = 0; i < report.Steps.Count; i++)
        {
            if (report.Steps[i]?.Model is null)
            {
                throw new ArgumentException($"The report's {nameof(PruningReport.Steps)}[{i}] {(report.Steps[i] is null ? "is null" : "has a null Model")}.", nameof(report));
            }
        }

        foreach (var (name, snapshot) in report.Steps.Select(step => ($"Steps[{step.Step}].Model", step.Model)).Prepend(("Final", report.Final)).Prepend(("Baseline", report.Baseline)))
        {
            if (snapshot.Layers is null || snapshot.Layers.Any(layer => layer is null))
            {
                throw new ArgumentException($"The report's {name}.{nameof(ModelSnapshot.Layers)} is null or holds a null entry.", nameof(report));
            }
        }

        if (report.Sensitivity.Any(point => point is null))
        {
            throw new ArgumentException($"The report's {nameof(PruningReport.Sensitivity)} holds a null entry.", nameof(report));
        }
    }

    private static void KeyFigures(StringBuilder s, PruningReport report)
    {
        ModelSnapshot before = report.Baseline, after = report.Final;
        int accepted = report.Steps.Count(step => step.Accepted);
        s.Append("<div class=\"figures\">\n");
        // A masking run keeps every parameter and zeroes some: its headline is the nonzeros kept.
        bool masked = before.Parameters == after.Parameters && before.NonzeroParameters != after.NonzeroParameters;
        var (kept, total, name) = masked ? (after.NonzeroParameters, before.NonzeroParameters, "nonzero parameters") : (after.Parameters, before.Parameters, "parameters");
        Figure(s, "parameters-kept", Kept(total, kept), $"{name} kept ({Html.Count(kept)} of {Html.Count(total)})");
        Figure(s, "multiply-adds-kept", Kept(before.MultiplyAdds, after.MultiplyAdds), "multiply-adds kept");
        Figure(s, "accuracy", $"{ReportTables.Percent(before.Accuracy)} \u2192 {ReportTables.Percent(after.Accuracy)}", "accuracy (%), before \u2192 after");
        Figure(s, "step-count", $"{accepted} / {report.Steps.Count}", "steps accepted / taken");
        s.Append("</div>\n");
    }

    private static void Figure(StringBuilder s, string id, string value, string label) =>
        s.Append($"<div class=\"figure\" id=\"figure-{id}\"><span class=\"value\">{Html.Escape(value)}</span><span class=\"label\">{Html.Escape(label)}</span></div>\n");

    private static string Kept(long before, long after) => before == 0 ? Html.Missing : Html.Format(100.0 * after / before, "0.0") + "%";

    private static string Or(string? text) => string.IsNullOrWhiteSpace(text) ? "(unnamed)" : text;
}
