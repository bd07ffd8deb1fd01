using System.Globalization;

namespace Microsoft.ML.Pruning.Data;

/// <summary>Turns the label texts of a CSV file into class indices, as <see cref="CsvLabelEncoding"/> describes.</summary>
internal static class CsvLabelMapper
{
    /// <summary>Maps the labels.</summary>
    /// <param name="path">The file, for errors.</param>
    /// <param name="texts">The label text of each row.</param>
    /// <param name="lines">The line number of each row, for errors.</param>
    /// <param name="column">The one-based label column, for errors.</param>
    /// <param name="options">The validated options.</param>
    /// <returns>The class indices, the class count and the class names (or <see langword="null"/>).</returns>
    public static (int[] Labels, int ClassCount, IReadOnlyList<string>? ClassNames) Map(
        string path, List<string> texts, List<int> lines, int column, CsvLoadOptions options)
    {
        int empty = texts.FindIndex(t => t.Trim().Length == 0);
        if (empty >= 0)
        {
            throw new DataFormatException(path, lines[empty], column, "The label cell is empty; every row needs a label.");
        }

        // Automatic: labels that are all numbers are class indices, so that -1 or 2.5 among them is an error, not a silent switch to categories.
        bool asIndices = options.LabelEncoding switch
        {
            CsvLabelEncoding.ClassIndex => true,
            CsvLabelEncoding.Category => false,
            _ => texts.TrueForAll(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _)),
        };

        return asIndices ? MapIndices(path, texts, lines, column, options) : MapCategories(path, texts, lines, column, options);
    }

    private static (int[], int, IReadOnlyList<string>?) MapIndices(string path, List<string> texts, List<int> lines, int column, CsvLoadOptions options)
    {
        var classNames = options.ClassNames;
        var labels = new int[texts.Count];
        int max = 0;
        for (int i = 0; i < texts.Count; i++)
        {
            if (!TryParseClassIndex(texts[i], out labels[i]))
            {
                throw new DataFormatException(path, lines[i], column, $"The label '{CsvLoader.Shorten(texts[i])}' is not a class index (a non-negative integer).");
            }

            if (classNames is not null && labels[i] >= classNames.Count)
            {
                throw new DataFormatException(path, lines[i], column, $"The label {labels[i]} is outside the class range [0, {classNames.Count}) that ClassNames sets.");
            }

            if (options.ClassCount is { } classes && labels[i] >= classes)
            {
                throw new DataFormatException(path, lines[i], column, $"The label {labels[i]} is outside the class range [0, {classes}) of the model.");
            }

            if (labels[i] >= options.MaximumClassCount)
            {
                throw new DataFormatException(path, lines[i], column, $"The label {labels[i]} would make {(long)labels[i] + 1:N0} classes, more than MaximumClassCount ({options.MaximumClassCount:N0}); is it a class index?");
            }

            max = Math.Max(max, labels[i]);
        }

        return (labels, options.ClassCount ?? classNames?.Count ?? max + 1, classNames);
    }

    private static (int[], int, IReadOnlyList<string>?) MapCategories(string path, List<string> texts, List<int> lines, int column, CsvLoadOptions options)
    {
        var classNames = options.ClassNames;
        IReadOnlyList<string> names = classNames ?? SortNames(texts.Distinct(StringComparer.Ordinal).ToList());
        if (options.ClassCount is { } classes && names.Count > classes)
        {
            int line = texts.FindIndex(t => t == names[classes]);
            throw new DataFormatException(path, lines[line], column, $"The label '{CsvLoader.Shorten(names[classes])}' makes {names.Count} classes, but the model scores {classes}.");
        }

        if (classNames is null && names.Count > options.MaximumClassCount)
        {
            int line = texts.FindIndex(t => t == names[options.MaximumClassCount]);
            throw new DataFormatException(path, lines[line], column, $"The labels make {names.Count:N0} classes, more than MaximumClassCount ({options.MaximumClassCount:N0}).");
        }
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < names.Count; c++)
        {
            index[names[c]] = c;
        }

        var labels = new int[texts.Count];
        for (int i = 0; i < texts.Count; i++)
        {
            if (!index.TryGetValue(texts[i], out labels[i]))
            {
                throw new DataFormatException(path, lines[i], column, $"The label '{CsvLoader.Shorten(texts[i])}' is not one of the {names.Count} ClassNames.");
            }
        }

        // Fewer categories than the model's classes: the names cannot label every class, so none is given.
        int count = options.ClassCount ?? names.Count;
        return (labels, count, count == names.Count ? names : null);
    }

    private static IReadOnlyList<string> SortNames(List<string> names)
    {
        bool numeric = names.TrueForAll(n => double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        if (numeric)
        {
            names.Sort((a, b) =>
            {
                int byValue = double.Parse(a, NumberStyles.Float, CultureInfo.InvariantCulture).CompareTo(double.Parse(b, NumberStyles.Float, CultureInfo.InvariantCulture));
                return byValue != 0 ? byValue : string.CompareOrdinal(a, b);
            });
        }
        else
        {
            names.Sort(StringComparer.Ordinal);
        }

        return names.AsReadOnly();
    }

    /// <summary>Parses a class index written as a non-negative integer, such as <c>3</c> or <c>3.0</c>.</summary>
    private static bool TryParseClassIndex(string text, out int value)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            return value >= 0;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d >= 0 && d <= int.MaxValue && d == Math.Floor(d))
        {
            value = (int)d;
            return true;
        }

        value = 0;
        return false;
    }
}
