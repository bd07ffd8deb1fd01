using System.Text;

namespace Microsoft.ML.Pruning.Reports;

/// <summary>The SVG building blocks the report's charts share: the element with its accessible title, axes with ticks and grid lines, and a legend.</summary>
internal static class Svg
{
    /// <summary>The tick mark length in pixels.</summary>
    private const double TickLength = 5;

    /// <summary>Opens an <c>&lt;svg&gt;</c> element with an id, a <c>&lt;title&gt;</c> and a <c>&lt;desc&gt;</c> that label it for screen readers.</summary>
    /// <param name="s">The output.</param>
    /// <param name="id">The element id, also the chart's class-independent handle for tests.</param>
    /// <param name="title">The accessible title.</param>
    /// <param name="description">The accessible description.</param>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    public static void Open(StringBuilder s, string id, string title, string description, double width, double height)
    {
        string w = Html.Coordinate(width), h = Html.Coordinate(height);
        s.Append($"<svg id=\"{id}\" class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n");
        s.Append($"<title id=\"{id}-title\">{Html.Escape(title)}</title>\n");
        s.Append($"<desc id=\"{id}-desc\">{Html.Escape(description)}</desc>\n");
    }

    /// <summary>Closes the <c>&lt;svg&gt;</c> element.</summary>
    /// <param name="s">The output.</param>
    public static void Close(StringBuilder s) => s.Append("</svg>\n");

    /// <summary>Draws a horizontal axis at the bottom of the plot: vertical grid lines, tick marks, tick labels, the axis line and the axis label.</summary>
    /// <param name="s">The output.</param>
    /// <param name="x">The horizontal scale.</param>
    /// <param name="bottom">The plot's bottom pixel row (the axis line).</param>
    /// <param name="top">The plot's top pixel row (where grid lines end).</param>
    /// <param name="label">The axis label.</param>
    /// <param name="format">Formats a tick value.</param>
    public static void XAxis(StringBuilder s, LinearScale x, double bottom, double top, string label, Func<double, string> format)
    {
        s.Append("<g class=\"axis x-axis\">\n");
        foreach (double tick in x.Ticks)
        {
            string px = Html.Coordinate(x.Map(tick));
            s.Append($"<line class=\"grid\" x1=\"{px}\" y1=\"{Html.Coordinate(top)}\" x2=\"{px}\" y2=\"{Html.Coordinate(bottom)}\"/>");
            s.Append($"<line class=\"tick\" x1=\"{px}\" y1=\"{Html.Coordinate(bottom)}\" x2=\"{px}\" y2=\"{Html.Coordinate(bottom + TickLength)}\"/>");
            s.Append($"<text class=\"tick-label\" x=\"{px}\" y=\"{Html.Coordinate(bottom + TickLength + 13)}\" text-anchor=\"middle\">{Html.Escape(format(tick))}</text>\n");
        }

        s.Append($"<line class=\"axis-line\" x1=\"{Html.Coordinate(x.RangeStart)}\" y1=\"{Html.Coordinate(bottom)}\" x2=\"{Html.Coordinate(x.RangeEnd)}\" y2=\"{Html.Coordinate(bottom)}\"/>\n");
        s.Append($"<text class=\"axis-label\" x=\"{Html.Coordinate((x.RangeStart + x.RangeEnd) / 2)}\" y=\"{Html.Coordinate(bottom + TickLength + 34)}\" text-anchor=\"middle\">{Html.Escape(label)}</text>\n");
        s.Append("</g>\n");
    }

    /// <summary>Draws a vertical axis at the left of the plot: horizontal grid lines, tick marks, tick labels, the axis line and the rotated axis label.</summary>
    /// <param name="s">The output.</param>
    /// <param name="y">The vertical scale.</param>
    /// <param name="left">The plot's left pixel column (the axis line).</param>
    /// <param name="right">The plot's right pixel column (where grid lines end).</param>
    /// <param name="label">The axis label.</param>
    /// <param name="format">Formats a tick value.</param>
    public static void YAxis(StringBuilder s, LinearScale y, double left, double right, string label, Func<double, string> format)
    {
        s.Append("<g class=\"axis y-axis\">\n");
        foreach (double tick in y.Ticks)
        {
            string py = Html.Coordinate(y.Map(tick));
            s.Append($"<line class=\"grid\" x1=\"{Html.Coordinate(left)}\" y1=\"{py}\" x2=\"{Html.Coordinate(right)}\" y2=\"{py}\"/>");
            s.Append($"<line class=\"tick\" x1=\"{Html.Coordinate(left - TickLength)}\" y1=\"{py}\" x2=\"{Html.Coordinate(left)}\" y2=\"{py}\"/>");
            s.Append($"<text class=\"tick-label\" x=\"{Html.Coordinate(left - TickLength - 3)}\" y=\"{py}\" dy=\"0.32em\" text-anchor=\"end\">{Html.Escape(format(tick))}</text>\n");
        }

        double middle = (y.RangeStart + y.RangeEnd) / 2;
        s.Append($"<line class=\"axis-line\" x1=\"{Html.Coordinate(left)}\" y1=\"{Html.Coordinate(y.RangeStart)}\" x2=\"{Html.Coordinate(left)}\" y2=\"{Html.Coordinate(y.RangeEnd)}\"/>\n");
        s.Append($"<text class=\"axis-label\" transform=\"translate({Html.Coordinate(left - 52)} {Html.Coordinate(middle)}) rotate(-90)\" text-anchor=\"middle\">{Html.Escape(label)}</text>\n");
        s.Append("</g>\n");
    }

    /// <summary>Draws a legend row: one marker and label per entry, left to right.</summary>
    /// <param name="s">The output.</param>
    /// <param name="x">The left pixel of the first entry.</param>
    /// <param name="y">The pixel row of the entries' centre line.</param>
    /// <param name="entries">Each entry's label and the SVG of its marker, drawn centred on (0, 0).</param>
    public static void LegendRow(StringBuilder s, double x, double y, IEnumerable<(string Label, string Marker)> entries)
    {
        s.Append($"<g class=\"legend\" transform=\"translate({Html.Coordinate(x)} {Html.Coordinate(y)})\">\n");
        double offset = 0;
        foreach (var (label, marker) in entries)
        {
            s.Append($"<g class=\"legend-entry\" transform=\"translate({Html.Coordinate(offset + 8)} 0)\">{marker}<text x=\"14\" dy=\"0.32em\">{Html.Escape(label)}</text></g>\n");
            offset += 8 + 14 + 6.5 * label.Length + 22;
        }

        s.Append("</g>\n");
    }

    /// <summary>Writes a centred message over an empty plot.</summary>
    /// <param name="s">The output.</param>
    /// <param name="x">The pixel column of the message's centre.</param>
    /// <param name="y">The pixel row of the message's centre.</param>
    /// <param name="message">The message.</param>
    public static void EmptyMessage(StringBuilder s, double x, double y, string message) =>
        s.Append($"<text class=\"empty\" x=\"{Html.Coordinate(x)}\" y=\"{Html.Coordinate(y)}\" text-anchor=\"middle\">{Html.Escape(message)}</text>\n");
}
