using System.Globalization;

namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// The error raised when a row of the data cannot be used: a feature vector of the wrong size or with a NaN or infinite
/// value, a label outside the model's classes, a source that changed between passes over it, or a cursor that failed
/// while reading. It names the column and the row, counted from 0 in the data as the caller gave it (an
/// <c>IDataView</c>'s own row order, not the order of a shuffle or a split).
/// </summary>
/// <remarks>
/// It derives from <see cref="ArgumentException"/> (its <see cref="ArgumentException.ParamName"/> is <c>input</c>, the
/// data argument of ML.NET's <c>Fit</c>), as the other errors about the data a stage is given do. When a cursor threw,
/// its exception is the <see cref="Exception.InnerException"/>.
/// </remarks>
public sealed class DataRowException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="columnName">The column that holds the fault, or <see langword="null"/> when it concerns the whole row (or the number of rows).</param>
    /// <param name="row">The zero-based row of the data as the caller gave it, or -1 when it is not known.</param>
    /// <param name="reason">What is wrong, as a sentence.</param>
    /// <param name="innerException">The exception that revealed the fault, if any.</param>
    public DataRowException(string? columnName, long row, string reason, Exception? innerException = null)
        : base(FormatMessage(columnName, row, reason), "input", innerException)
    {
        ColumnName = columnName;
        Row = row;
        Reason = reason;
    }

    /// <summary>Gets the column that holds the fault, or <see langword="null"/> when it concerns the whole row.</summary>
    public string? ColumnName { get; }

    /// <summary>
    /// Gets the zero-based row of the data as the caller gave it (its own order, before any shuffle or split), or -1 when
    /// a cursor that reads the rows in a shuffled order failed before it said which row it was on.
    /// </summary>
    public long Row { get; }

    /// <summary>Gets what is wrong, without the column and row that <see cref="Exception.Message"/> adds.</summary>
    public string Reason { get; }

    private static string FormatMessage(string? columnName, long row, string reason)
    {
        string where = row >= 0 ? string.Create(CultureInfo.InvariantCulture, $"row {row}") : "a row read in a shuffled order";
        return columnName is null ? $"{char.ToUpperInvariant(where[0])}{where[1..]}: {reason}" : $"Column '{columnName}', {where}: {reason}";
    }
}
