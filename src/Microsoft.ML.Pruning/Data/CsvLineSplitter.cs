namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// Splits one CSV line into fields (RFC 4180 quoting: a field may be enclosed in double quotes, which may then hold
/// separators and doubled quotes). A quoted field cannot span lines.
/// </summary>
internal static class CsvLineSplitter
{
    /// <summary>Splits <paramref name="line"/> into <paramref name="fields"/>.</summary>
    /// <param name="line">The line, without its line break.</param>
    /// <param name="separator">The field separator.</param>
    /// <param name="fields">Cleared, then receives the fields.</param>
    /// <param name="error">Receives why the line is malformed, or <see langword="null"/>.</param>
    /// <returns>The number of fields; when <paramref name="error"/> is set, the zero-based index of the malformed field.</returns>
    public static int Split(string line, char separator, List<CsvField> fields, out string? error)
    {
        fields.Clear();
        error = null;
        int position = 0;
        while (true)
        {
            int p = position;
            while (p < line.Length && line[p] != separator && char.IsWhiteSpace(line[p]))
            {
                p++;
            }

            if (p < line.Length && line[p] == '"')
            {
                int start = ++p;
                bool escaped = false;
                while (true)
                {
                    if (p >= line.Length)
                    {
                        error = "The quoted field has no closing quote (a quoted field cannot span lines).";
                        return fields.Count;
                    }

                    if (line[p] == '"')
                    {
                        if (p + 1 < line.Length && line[p + 1] == '"')
                        {
                            escaped = true;
                            p += 2;
                            continue;
                        }

                        break;
                    }

                    p++;
                }

                fields.Add(new CsvField(start, p - start, Quoted: true, Escaped: escaped));
                p++;
                while (p < line.Length && line[p] != separator && char.IsWhiteSpace(line[p]))
                {
                    p++;
                }

                if (p < line.Length && line[p] != separator)
                {
                    error = $"Unexpected character '{line[p]}' after the closing quote of the field.";
                    return fields.Count - 1;
                }
            }
            else
            {
                p = line.IndexOf(separator, position);
                if (p < 0)
                {
                    p = line.Length;
                }

                fields.Add(new CsvField(position, p - position, Quoted: false, Escaped: false));
            }

            if (p >= line.Length)
            {
                return fields.Count;
            }

            position = p + 1;
        }
    }
}
