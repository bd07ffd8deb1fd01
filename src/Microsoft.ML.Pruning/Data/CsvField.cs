namespace Microsoft.ML.Pruning.Data;

/// <summary>Where one field lies in its line.</summary>
/// <param name="Start">The index of the first character (inside the quotes for a quoted field).</param>
/// <param name="Length">The number of characters (inside the quotes for a quoted field).</param>
/// <param name="Quoted">Whether the field was enclosed in double quotes.</param>
/// <param name="Escaped">Whether the quoted field holds doubled quotes that stand for one quote.</param>
internal readonly record struct CsvField(int Start, int Length, bool Quoted, bool Escaped)
{
    /// <summary>Gets the characters of the field; whitespace around an unquoted field is kept (number parsing allows it).</summary>
    /// <param name="line">The line the field came from.</param>
    /// <returns>The raw field.</returns>
    public ReadOnlySpan<char> Span(string line) => line.AsSpan(Start, Length);

    /// <summary>Gets the text of the field: unquoted fields trimmed, quoted fields unescaped.</summary>
    /// <param name="line">The line the field came from.</param>
    /// <returns>The text.</returns>
    public string Text(string line) =>
        Escaped ? line.Substring(Start, Length).Replace("\"\"", "\"", StringComparison.Ordinal)
        : Quoted ? line.Substring(Start, Length)
        : line.AsSpan(Start, Length).Trim().ToString();
}
