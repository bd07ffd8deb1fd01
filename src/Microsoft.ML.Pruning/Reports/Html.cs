using System.Globalization;
using System.Net;

namespace Microsoft.ML.Pruning.Reports;

/// <summary>Escaping and culture-independent number formatting for the HTML report.</summary>
internal static class Html
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The text shown where a value is missing.</summary>
    public const string Missing = "\u2013";

    /// <summary>Escapes text for an HTML text node or a quoted attribute value (<c>&lt; &gt; &amp; " '</c>).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The escaped text.</returns>
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>Shortens a label to at most <paramref name="maxLength"/> characters, ending it with an ellipsis when cut.</summary>
    /// <param name="text">The label.</param>
    /// <param name="maxLength">The largest length, at least 2.</param>
    /// <returns>The label, cut when longer than <paramref name="maxLength"/>.</returns>
    public static string Shorten(string text, int maxLength) =>
        text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength - 1), "\u2026");

    /// <summary>Formats an SVG coordinate with at most two decimals.</summary>
    /// <param name="value">The coordinate.</param>
    /// <returns>The invariant text, such as <c>301.5</c>.</returns>
    public static string Coordinate(double value) => Math.Round(value, 2).ToString("0.##", Invariant);

    /// <summary>Formats a count with thousands separators.</summary>
    /// <param name="value">The count.</param>
    /// <returns>The invariant text, such as <c>1,234,567</c>.</returns>
    public static string Count(long value) => value.ToString("N0", Invariant);

    /// <summary>Formats an optional value with a fixed format, or <see cref="Missing"/>.</summary>
    /// <param name="value">The value; missing when null or not finite.</param>
    /// <param name="format">The .NET numeric format.</param>
    /// <returns>The invariant text.</returns>
    public static string Number(double? value, string format) =>
        IsFinite(value) ? value!.Value.ToString(format, Invariant) : Missing;

    /// <summary>Formats an after/before ratio with three decimals, or <see cref="Missing"/> when it is undefined.</summary>
    /// <param name="before">The value before.</param>
    /// <param name="after">The value after.</param>
    /// <returns>The invariant text, such as <c>0.250</c>.</returns>
    public static string Ratio(double? before, double? after) =>
        IsFinite(before) && IsFinite(after) && before!.Value != 0 ? (after!.Value / before.Value).ToString("0.000", Invariant) : Missing;

    /// <summary>Formats an axis tick compactly: <c>1.5M</c>, <c>250k</c>, <c>97.5</c>.</summary>
    /// <param name="value">The tick value.</param>
    /// <returns>The invariant text.</returns>
    public static string Compact(double value)
    {
        double magnitude = Math.Abs(value);
        return magnitude switch
        {
            >= 1e9 => (value / 1e9).ToString("0.##", Invariant) + "G",
            >= 1e6 => (value / 1e6).ToString("0.##", Invariant) + "M",
            >= 1e4 => (value / 1e3).ToString("0.##", Invariant) + "k",
            _ => Math.Round(value, 6).ToString("0.####", Invariant),
        };
    }

    /// <summary>Formats an invariant number for a text node or attribute with the given format.</summary>
    /// <param name="value">The value.</param>
    /// <param name="format">The .NET numeric format.</param>
    /// <returns>The invariant text.</returns>
    public static string Format(double value, string format) => value.ToString(format, Invariant);

    /// <summary>Whether a value is present and finite.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when the value is neither null, NaN nor infinite.</returns>
    public static bool IsFinite(double? value) => value is { } v && double.IsFinite(v);
}
