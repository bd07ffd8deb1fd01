using System.Text;

namespace Microsoft.ML.Pruning.Reports;

/// <summary>
/// The chart of a per-layer sensitivity sweep: the accuracy drop (percentage points) against the pruning rate (%),
/// one line per layer, with the legend beside the plot.
/// </summary>
internal static class SensitivityChart
{
    /// <summary>The SVG element id.</summary>
    public const string Id = "chart-sensitivity";

    /// <summary>The chart width in pixels.</summary>
    public const double Width = 760;

    /// <summary>The plot's left pixel column.</summary>
    public const double Left = 76;

    /// <summary>The plot's right pixel column; the legend lies to its right.</summary>
    public const double Right = 540;

    /// <summary>The plot's top pixel row.</summary>
    public const double Top = 20;

    /// <summary>The plot's height in pixels.</summary>
    public const double PlotHeight = 324;

    /// <summary>The longest layer name shown in the legend in full.</summary>
    private const int MaxNameLength = 26;

    /// <summary>The height of one legend entry in pixels.</summary>
    private const double LegendRowHeight = 18;

    /// <summary>Line colours, cycled; after one cycle the dash pattern changes too.</summary>
    private static readonly string[] Colors =
        ["#2563eb", "#ea580c", "#16a34a", "#dc2626", "#9333ea", "#0891b2", "#ca8a04", "#db2777", "#4b5563", "#65a30d"];

    private static readonly string[] Dashes = ["", "6 3", "2 3", "8 3 2 3"];

    /// <summary>Renders the chart, or a note when the report has no sensitivity sweep.</summary>
    /// <param name="s">The output.</param>
    /// <param name="report">The report.</param>
    public static void Render(StringBuilder s, PruningReport report)
    {
        var points = report.Sensitivity.Where(p => double.IsFinite(p.Rate) && double.IsFinite(p.AccuracyDrop)).ToList();
        if (points.Count == 0)
        {
            s.Append("<p class=\"note\" id=\"no-sensitivity\">No sensitivity sweep was run, so there are no sensitivity curves.</p>\n");
            return;
        }

        var layers = points.GroupBy(p => p.Layer).Select(g => (Layer: g.Key, Points: g.OrderBy(p => p.Rate).ToList())).ToList();
        double bottom = Top + PlotHeight;
        double height = Math.Max(bottom + 56, Top + 8 + layers.Count * LegendRowHeight + 8);
        var x = LinearScale.Create(points.Select(p => p.Rate * 100).Append(0).Append(100), Left, Right, 5);
        var y = LinearScale.Create(points.Select(p => p.AccuracyDrop * 100).Append(0), bottom, Top, 5);

        Svg.Open(s, Id, "Sensitivity of each layer to pruning",
            $"Accuracy drop in percentage points against the fraction of units removed, each of {layers.Count} layers pruned alone without fine-tuning.",
            Width, height);
        Svg.XAxis(s, x, bottom, Top, "units removed (%)", Html.Compact);
        Svg.YAxis(s, y, Left, Right, "accuracy drop (points)", Html.Compact);
        if (y.DomainMin < 0)
        {
            string zero = Html.Coordinate(y.Map(0));
            s.Append($"<line class=\"zero\" x1=\"{Html.Coordinate(Left)}\" y1=\"{zero}\" x2=\"{Html.Coordinate(Right)}\" y2=\"{zero}\"/>\n");
        }

        for (int i = 0; i < layers.Count; i++)
        {
            var (layer, layerPoints) = layers[i];
            string style = Style(i);
            s.Append($"<g class=\"series\" data-layer=\"{Html.Escape(layer)}\" {style}><title>{Html.Escape(layer)}</title>\n");
            var coordinates = layerPoints.Select(p => $"{Html.Coordinate(x.Map(p.Rate * 100))},{Html.Coordinate(y.Map(p.AccuracyDrop * 100))}");
            s.Append($"<polyline class=\"curve\" points=\"{string.Join(' ', coordinates)}\"/>\n");
            foreach (var p in layerPoints)
            {
                s.Append($"<circle class=\"point\" cx=\"{Html.Coordinate(x.Map(p.Rate * 100))}\" cy=\"{Html.Coordinate(y.Map(p.AccuracyDrop * 100))}\" r=\"3\">");
                s.Append($"<title>{Html.Escape(layer)}: {Html.Format(p.Rate * 100, "0.#")}% removed, accuracy {Html.Format(p.Accuracy * 100, "0.00")}%, drop {Html.Format(p.AccuracyDrop * 100, "0.00")} points</title></circle>\n");
            }

            s.Append("</g>\n");
        }

        s.Append($"<g class=\"legend\" transform=\"translate({Html.Coordinate(Right + 24)} {Html.Coordinate(Top + 8)})\">\n");
        for (int i = 0; i < layers.Count; i++)
        {
            string layer = layers[i].Layer;
            s.Append($"<g class=\"legend-entry\" transform=\"translate(0 {Html.Coordinate(i * LegendRowHeight)})\" {Style(i)}><title>{Html.Escape(layer)}</title>");
            s.Append($"<line class=\"curve\" x1=\"0\" y1=\"0\" x2=\"22\" y2=\"0\"/><text x=\"28\" dy=\"0.32em\">{Html.Escape(Html.Shorten(layer, MaxNameLength))}</text></g>\n");
        }

        s.Append("</g>\n");
        Svg.Close(s);
    }

    // The colour goes on the group as stroke and fill (the curve, its points and the legend swatch inherit it), the dash pattern on the lines only.
    private static string Style(int index)
    {
        string color = Colors[index % Colors.Length];
        string dash = Dashes[index / Colors.Length % Dashes.Length];
        return $"style=\"stroke:{color};fill:{color}{(dash.Length > 0 ? $";--dash:{dash}" : "")}\"";
    }
}
