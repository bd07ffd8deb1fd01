using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Reports;

/// <summary>Finds elements and attributes in rendered or browser-serialized HTML, for the report tests.</summary>
internal static class HtmlMarkup
{
    /// <summary>Returns the markup of the <c>&lt;svg&gt;</c> element with this id, failing when there is none.</summary>
    public static string Svg(string html, string id)
    {
        var match = Regex.Match(html, $"<svg id=\"{Regex.Escape(id)}\".*?</svg>", RegexOptions.Singleline);
        Assert.IsTrue(match.Success, $"The page has no <svg id=\"{id}\">.");
        return match.Value;
    }

    /// <summary>Returns the markup of the <c>&lt;table&gt;</c> element with this id, failing when there is none.</summary>
    public static string Table(string html, string id)
    {
        var match = Regex.Match(html, $"<table id=\"{Regex.Escape(id)}\".*?</table>", RegexOptions.Singleline);
        Assert.IsTrue(match.Success, $"The page has no <table id=\"{id}\">.");
        return match.Value;
    }

    /// <summary>Returns the start tags of the elements named <paramref name="tag"/> whose class attribute starts with <paramref name="classPrefix"/>.</summary>
    public static IReadOnlyList<string> Elements(string markup, string tag, string classPrefix) =>
        Regex.Matches(markup, $"<{tag} class=\"{Regex.Escape(classPrefix)}[^\"]*\"[^>]*>").Select(m => m.Value).ToList();

    /// <summary>Returns an attribute's value from a start tag, failing when it is absent.</summary>
    public static string Attribute(string startTag, string name)
    {
        var match = Regex.Match(startTag, $"\\s{Regex.Escape(name)}=\"([^\"]*)\"");
        Assert.IsTrue(match.Success, $"{startTag} has no {name} attribute.");
        return match.Groups[1].Value;
    }

    /// <summary>Returns a numeric attribute's value from a start tag.</summary>
    public static double Number(string startTag, string name) =>
        double.Parse(Attribute(startTag, name), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Returns the start tag of the point circle whose data-step is <paramref name="step"/>.</summary>
    public static string Point(string svg, string step) =>
        Elements(svg, "circle", "point").Single(c => Attribute(c, "data-step") == step);

    /// <summary>Returns the texts of a table's cells, row by row (header cells included).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Cells(string table) =>
        Regex.Matches(table, "<tr[^>]*>(.*?)</tr>", RegexOptions.Singleline)
            .Select(row => (IReadOnlyList<string>)Regex.Matches(row.Groups[1].Value, "<t[hd][^>]*>(.*?)</t[hd]>", RegexOptions.Singleline)
                .Select(cell => System.Net.WebUtility.HtmlDecode(cell.Groups[1].Value)).ToList())
            .ToList();
}
