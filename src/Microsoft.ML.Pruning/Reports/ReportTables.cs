using System.Text;

namespace Microsoft.ML.Pruning.Reports;

/// <summary>The report's HTML tables: the before/after summary, the steps, and the per-layer widths.</summary>
internal static class ReportTables
{
    /// <summary>Renders the summary table: parameters, nonzeros, multiply-adds, bytes, latency, accuracy and loss, before, after and their ratio.</summary>
    /// <param name="s">The output.</param>
    /// <param name="report">The report.</param>
    public static void Summary(StringBuilder s, PruningReport report)
    {
        ModelSnapshot before = report.Baseline, after = report.Final;
        s.Append("<table id=\"summary\">\n<thead><tr><th scope=\"col\" class=\"text\">measure</th><th scope=\"col\">before</th><th scope=\"col\">after</th><th scope=\"col\">after / before</th></tr></thead>\n<tbody>\n");
        Row(s, "parameters", before.Parameters, after.Parameters, Html.Count(before.Parameters), Html.Count(after.Parameters));
        Row(s, "nonzero parameters", before.NonzeroParameters, after.NonzeroParameters, Html.Count(before.NonzeroParameters), Html.Count(after.NonzeroParameters));
        Row(s, "multiply-adds per sample", before.MultiplyAdds, after.MultiplyAdds, Html.Count(before.MultiplyAdds), Html.Count(after.MultiplyAdds));
        Row(s, "model bytes (ONNX)", before.ModelBytes, after.ModelBytes, Html.Count(before.ModelBytes), Html.Count(after.ModelBytes));
        Row(s, "latency, batch of 1 (ms)", before.LatencyBatch1Milliseconds, after.LatencyBatch1Milliseconds,
            Html.Number(before.LatencyBatch1Milliseconds, "0.000"), Html.Number(after.LatencyBatch1Milliseconds, "0.000"));
        Row(s, "latency, batch of 256 (ms)", before.LatencyBatch256Milliseconds, after.LatencyBatch256Milliseconds,
            Html.Number(before.LatencyBatch256Milliseconds, "0.000"), Html.Number(after.LatencyBatch256Milliseconds, "0.000"));
        Row(s, "accuracy (%)", before.Accuracy, after.Accuracy, Percent(before.Accuracy), Percent(after.Accuracy));
        Row(s, "loss", before.Loss, after.Loss, Html.Number(before.Loss, "0.0000"), Html.Number(after.Loss, "0.0000"));
        s.Append("</tbody>\n</table>\n");
    }

    /// <summary>Renders the steps table, or a note when the run took no steps.</summary>
    /// <param name="s">The output.</param>
    /// <param name="report">The report.</param>
    public static void Steps(StringBuilder s, PruningReport report)
    {
        if (report.Steps.Count == 0)
        {
            s.Append("<p class=\"note\" id=\"no-steps\">The run took no pruning steps.</p>\n");
            return;
        }

        s.Append("<table id=\"steps\">\n<thead><tr>");
        foreach (string header in new[] { "step", "phase", "rate", "removed", "parameters", "nonzero parameters", "multiply-adds", "accuracy (%)", "loss", "outcome" })
        {
            s.Append($"<th scope=\"col\"{(header is "phase" or "outcome" ? " class=\"text\"" : "")}>{header}</th>");
        }

        s.Append("</tr></thead>\n<tbody>\n");
        foreach (var step in report.Steps)
        {
            var m = step.Model;
            s.Append($"<tr class=\"{(step.Accepted ? "accepted" : "rejected")}\"><td>{step.Step}</td><td class=\"text\">{Html.Escape(step.Phase)}</td>");
            s.Append($"<td>{Html.Number(step.Rate, "0.000")}</td><td>{Html.Count(step.Removed)}</td><td>{Html.Count(m.Parameters)}</td><td>{Html.Count(m.NonzeroParameters)}</td>");
            s.Append($"<td>{Html.Count(m.MultiplyAdds)}</td><td>{Percent(m.Accuracy)}</td><td>{Html.Number(m.Loss, "0.0000")}</td>");
            s.Append($"<td class=\"text\">{(step.Accepted ? "accepted" : "rolled back")}</td></tr>\n");
        }

        s.Append("</tbody>\n</table>\n");
    }

    /// <summary>Renders the per-layer table: kind, width, parameters and multiply-adds before and after.</summary>
    /// <param name="s">The output.</param>
    /// <param name="report">The report.</param>
    public static void Layers(StringBuilder s, PruningReport report)
    {
        var rows = LayerWidthChart.Rows(report);
        if (rows.Count == 0)
        {
            return;
        }

        s.Append($"<details><summary>Per-layer table ({rows.Count} layers)</summary>\n<table id=\"layers\">\n<thead><tr>");
        foreach (string header in new[] { "layer", "kind", "units before", "units after", "parameters before", "parameters after", "nonzeros after", "multiply-adds after" })
        {
            s.Append($"<th scope=\"col\"{(header is "layer" or "kind" ? " class=\"text\"" : "")}>{header}</th>");
        }

        s.Append("</tr></thead>\n<tbody>\n");
        foreach (var (layer, kind, before, after) in rows)
        {
            s.Append($"<tr><td class=\"text name\">{Html.Escape(layer)}</td><td class=\"text\">{Html.Escape(kind)}</td>");
            s.Append($"<td>{(before is null ? "added" : Html.Count(before.Units))}</td><td>{(after is null ? "removed" : Html.Count(after.Units))}</td>");
            s.Append($"<td>{(before is null ? Html.Missing : Html.Count(before.Parameters))}</td><td>{(after is null ? Html.Missing : Html.Count(after.Parameters))}</td>");
            s.Append($"<td>{(after is null ? Html.Missing : Html.Count(after.Nonzeros))}</td><td>{(after is null ? Html.Missing : Html.Count(after.MultiplyAdds))}</td></tr>\n");
        }

        s.Append("</tbody>\n</table>\n</details>\n");
    }

    /// <summary>Formats an accuracy in [0, 1] as a percentage with two decimals.</summary>
    /// <param name="accuracy">The accuracy, or null.</param>
    /// <returns>The text, such as <c>97.50</c>, or the missing mark.</returns>
    public static string Percent(double? accuracy) => Html.Number(accuracy * 100, "0.00");

    private static void Row(StringBuilder s, string label, double? before, double? after, string beforeText, string afterText) =>
        s.Append($"<tr><th scope=\"row\">{label}</th><td>{beforeText}</td><td>{afterText}</td><td>{Html.Ratio(before, after)}</td></tr>\n");
}
