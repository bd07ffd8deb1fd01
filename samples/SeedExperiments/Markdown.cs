using System.Globalization;
using System.Text;

namespace Microsoft.ML.Pruning.Samples;

/// <summary>Prints Markdown tables, so that the output pastes into RESULTS.md as it is.</summary>
internal static class Markdown
{
    public static void Table(string title, string[] header, IEnumerable<object[]> rows)
    {
        var s = new StringBuilder();
        s.AppendLine().AppendLine(title).AppendLine();
        s.AppendLine("| " + string.Join(" | ", header) + " |");
        s.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (var row in rows)
        {
            s.AppendLine("| " + string.Join(" | ", row.Select(Format)) + " |");
        }

        Console.Write(s.ToString());
    }

    public static string Percent(double fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Format(object value) => value switch
    {
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        float f => f.ToString("0.####", CultureInfo.InvariantCulture),
        long l => l.ToString("N0", CultureInfo.InvariantCulture),
        int i => i.ToString("N0", CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
