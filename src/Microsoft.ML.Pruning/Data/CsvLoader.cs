using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// Loads a classification data set from a delimited text file: one row per sample, one label column, and numeric
/// feature columns.
/// </summary>
/// <remarks>
/// <para>
/// Fields may be quoted as in RFC 4180 (a quoted field may hold separators and doubled quotes, but not line breaks).
/// Numbers are parsed with the invariant culture (<c>1.5</c>, <c>-2e-3</c>); an empty, non-numeric or non-finite
/// (NaN, infinite) feature cell is an error, as is a row whose field count differs from the first row's. Blank
/// lines are ignored. The file may be gzip-compressed (recognised by its magic bytes) and may start with a UTF-8 or
/// UTF-16 byte order mark.
/// </para>
/// <para>
/// Every error is a <see cref="DataFormatException"/> giving the file, the one-based line and, for a fault in one
/// field, the one-based column (field) number.
/// </para>
/// </remarks>
internal static class CsvLoader
{
    /// <summary>Loads the file as a data set whose samples are vectors of the feature columns, in file order.</summary>
    /// <param name="path">The CSV file, raw or gzip.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults (a header, ',' separators, the label in the last column).</param>
    /// <returns>A data set with features [rows, columns − 1].</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is malformed.</exception>
    /// <exception cref="ArgumentException">An option is invalid, or the label column is not in the file.</exception>
    public static Dataset Load(string path, CsvLoadOptions? options = null)
    {
        options ??= new CsvLoadOptions();
        options.Validate();
        byte[] bytes = DataFile.ReadAllBytes(path, out _, options.MaximumBytes, (content, newest) => RejectBinary(path, content, newest));
        using var reader = new StreamReader(new MemoryStream(bytes, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

        int lineNumber = 0;
        for (; lineNumber < options.SkipLines; lineNumber++)
        {
            if (reader.ReadLine() is null)
            {
                throw new DataFormatException(path, lineNumber + 1, null, $"The file ends after {lineNumber} lines, but SkipLines is {options.SkipLines}.");
            }
        }

        var fields = new List<CsvField>();
        string[]? header = null;
        int columnCount = -1, labelColumn = -1;
        var features = new List<float>();
        var labelTexts = new List<string>();
        var labelLines = new List<int>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            int count = CsvLineSplitter.Split(line, options.Separator, fields, out string? error);
            if (error is not null)
            {
                throw new DataFormatException(path, lineNumber, count + 1, error);
            }

            if (columnCount < 0)
            {
                columnCount = count;
                string first = options.HasHeader ? "header" : "first row";
                if (count < 2)
                {
                    throw new DataFormatException(path, lineNumber, null, $"The {first} has 1 column, but at least 2 are needed: a feature and the label. Is the separator '{options.Separator}' right?");
                }

                if (options.HasHeader)
                {
                    header = fields.Select(f => f.Text(line)).ToArray();
                    labelColumn = ResolveLabelColumn(path, options, header, count);
                    continue;
                }

                labelColumn = ResolveLabelColumn(path, options, null, count);
            }

            if (count != columnCount)
            {
                throw new DataFormatException(path, lineNumber, Math.Min(count, columnCount) + 1,
                    $"The row has {count} fields but the {(header is null ? "first row" : "header")} has {columnCount}.");
            }

            for (int c = 0; c < count; c++)
            {
                if (c == labelColumn)
                {
                    labelTexts.Add(fields[c].Text(line));
                    continue;
                }

                ReadOnlySpan<char> cell = fields[c].Span(line);
                if (fields[c].Escaped || !float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                {
                    string name = header is null ? string.Empty : $" (column '{Shorten(header[c])}')";
                    string kind = fields[c].Text(line).Length == 0 ? "is empty; a feature cell must be a number." : "is not a finite number.";
                    throw new DataFormatException(path, lineNumber, c + 1, $"The cell '{Shorten(fields[c].Text(line))}'{name} {kind}");
                }

                features.Add(value);
            }

            labelLines.Add(lineNumber);
        }

        if (labelTexts.Count == 0)
        {
            string skipped = options.SkipLines > 0 ? $" after the {options.SkipLines} skipped lines" : string.Empty;
            string reason = header is null ? $"The file holds no data{skipped}." : $"The file holds a header but no data rows{skipped}.";
            throw new DataFormatException(path, lineNumber + 1, null, reason);
        }

        var (labels, classCount, classNames) = CsvLabelMapper.Map(path, labelTexts, labelLines, labelColumn + 1, options);
        var tensor = new FloatTensor(labels.Length, columnCount - 1);
        CollectionsMarshal.AsSpan(features).CopyTo(tensor.Span);
        return new Dataset(tensor, labels, classCount, classNames);
    }

    /// <summary>Fails at the first NUL byte (binary data, /dev/zero), unless the text is UTF-16 (its byte order mark says so).</summary>
    private static long? RejectBinary(string path, ReadOnlySpan<byte> content, int newest)
    {
        bool utf16 = content.Length >= 2 && ((content[0] == 0xff && content[1] == 0xfe) || (content[0] == 0xfe && content[1] == 0xff));
        int nul = utf16 ? -1 : content[newest..].IndexOf((byte)0);
        if (nul >= 0)
        {
            throw new DataFormatException(path, newest + nul, "The file holds a NUL byte: it is binary data, not CSV text.");
        }

        return null;
    }

    /// <summary>Shortens a cell's text for an error message.</summary>
    /// <param name="text">The text.</param>
    /// <returns>At most 40 characters.</returns>
    internal static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");

    private static int ResolveLabelColumn(string path, CsvLoadOptions options, string[]? header, int columnCount)
    {
        if (options.LabelColumnName is string name)
        {
            int index = Array.IndexOf(header!, name.Trim());
            if (index < 0)
            {
                throw new ArgumentException($"LabelColumnName '{name}' is not a column of '{path}'; its header has: {string.Join(", ", header!.Select(h => $"'{Shorten(h)}'"))}.", nameof(options));
            }

            return index;
        }

        int column = options.LabelColumn ?? columnCount - 1;
        if (column >= columnCount)
        {
            throw new ArgumentOutOfRangeException(nameof(options), column, $"LabelColumn {column} is outside the {columnCount} columns (0 to {columnCount - 1}) of '{path}'.");
        }

        return column;
    }
}
