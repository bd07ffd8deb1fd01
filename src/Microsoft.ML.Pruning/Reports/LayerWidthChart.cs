using System.Text;

namespace Microsoft.ML.Pruning.Reports;

/// <summary>
/// The chart of each Dense or Conv2d layer's width (units or filters) before and after pruning, as grouped horizontal
/// bars, one row per layer in network order; the chart grows taller with the number of layers.
/// </summary>
internal static class LayerWidthChart
{
    /// <summary>The SVG element id.</summary>
    public const string Id = "chart-layer-widths";

    /// <summary>The chart width in pixels.</summary>
    public const double Width = 760;

    /// <summary>The height of one layer's row in pixels.</summary>
    public const double RowHeight = 30;

    /// <summary>The plot's top pixel row.</summary>
    public const double Top = 44;

    /// <summary>The longest layer name shown in full; longer names are cut, with the full name in a tooltip.</summary>
    public const int MaxNameLength = 26;

    /// <summary>The height of one bar in pixels.</summary>
    private const double BarHeight = 11;

    /// <summary>Lists the layers of the baseline and the final model: the baseline's in order, then layers only the final model has.</summary>
    /// <param name="report">The report.</param>
    /// <returns>Each layer's name, kind, and widths before and after (null when the layer is absent from that model).</returns>
    public static IReadOnlyList<(string Layer, string Kind, LayerWidth? Before, LayerWidth? After)> Rows(PruningReport report)
    {
        var rows = report.Baseline.Layers
            .Select(b => (b.Layer, b.Kind, (LayerWidth?)b, report.Final.Layers.FirstOrDefault(a => a.Layer == b.Layer)))
            .ToList();
        rows.AddRange(report.Final.Layers
            .Where(a => report.Baseline.Layers.All(b => b.Layer != a.Layer))
            .Select(a => (a.Layer, a.Kind, (LayerWidth?)null, (LayerWidth?)a)));
        return rows;
    }

    /// <summary>Renders the chart, or a note when neither model lists its layers.</summary>
    /// <param name="s">The output.</param>
    /// <param name="report">The report.</param>
    public static void Render(StringBuilder s, PruningReport report)
    {
        var rows = Rows(report);
        if (rows.Count == 0)
        {
            s.Append("<p class=\"note\" id=\"no-layer-widths\">The report lists no layers, so there is no layer-width chart.</p>\n");
            return;
        }

        int longest = rows.Max(r => Math.Min(r.Layer.Length, MaxNameLength));
        double left = Math.Max(60, 16 + 7 * longest);
        double right = Width - 48;
        double bottom = Top + rows.Count * RowHeight;
        double height = bottom + 52;
        var x = LinearScale.Create(rows.SelectMany(r => new double[] { r.Before?.Units ?? 0, r.After?.Units ?? 0 }).Append(0), left, right, 6);

        Svg.Open(s, Id, "Layer widths before and after pruning",
            $"Units or filters of each of the {rows.Count} Dense and Conv2d layers in the baseline and in the final model.",
            Width, height);
        Svg.XAxis(s, x, bottom, Top, "units or filters", Html.Compact);
        Svg.LegendRow(s, left - 8, 18,
        [
            ("before", "<rect class=\"bar before\" x=\"-6\" y=\"-6\" width=\"12\" height=\"12\"/>"),
            ("after", "<rect class=\"bar after\" x=\"-6\" y=\"-6\" width=\"12\" height=\"12\"/>"),
        ]);

        for (int i = 0; i < rows.Count; i++)
        {
            var (layer, kind, before, after) = rows[i];
            double rowTop = Top + i * RowHeight;
            string summary = $"{layer} ({kind}): {(before is null ? "added" : Html.Count(before.Units))} \u2192 {(after is null ? "removed" : Html.Count(after.Units))}";
            s.Append($"<g class=\"layer-row\" data-layer=\"{Html.Escape(layer)}\"><title>{Html.Escape(summary)}</title>\n");
            s.Append($"<text class=\"layer-name\" x=\"{Html.Coordinate(left - 8)}\" y=\"{Html.Coordinate(rowTop + RowHeight / 2)}\" dy=\"0.32em\" text-anchor=\"end\">{Html.Escape(Html.Shorten(layer, MaxNameLength))}</text>\n");
            Bar(s, x, "before", before, rowTop + 3);
            Bar(s, x, "after", after, rowTop + 3 + BarHeight + 2);
            s.Append("</g>\n");
        }

        s.Append($"<line class=\"axis-line\" x1=\"{Html.Coordinate(left)}\" y1=\"{Html.Coordinate(Top)}\" x2=\"{Html.Coordinate(left)}\" y2=\"{Html.Coordinate(bottom)}\"/>\n");
        Svg.Close(s);
    }

    private static void Bar(StringBuilder s, LinearScale x, string kind, LayerWidth? width, double top)
    {
        int units = width?.Units ?? 0;
        double end = x.Map(units);
        string label = width is null ? (kind == "before" ? "added" : "removed") : Html.Count(units);
        s.Append($"<rect class=\"bar {kind}\" data-units=\"{units}\" x=\"{Html.Coordinate(x.RangeStart)}\" y=\"{Html.Coordinate(top)}\" width=\"{Html.Coordinate(end - x.RangeStart)}\" height=\"{Html.Coordinate(BarHeight)}\"/>");
        s.Append($"<text class=\"bar-label\" x=\"{Html.Coordinate(end + 4)}\" y=\"{Html.Coordinate(top + BarHeight / 2)}\" dy=\"0.32em\">{label}</text>\n");
    }
}
