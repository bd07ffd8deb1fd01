using System.Globalization;

namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// The error raised when a data file (IDX or CSV) is malformed: it names the file and the position of the fault.
/// </summary>
/// <remarks>
/// Binary formats report a <see cref="ByteOffset"/>; text formats report a <see cref="Line"/> and, where the fault
/// lies in one field, a <see cref="Column"/>. For a gzip-compressed file the byte offset counts bytes of the
/// decompressed content. A missing file raises <see cref="FileNotFoundException"/> instead.
/// It derives from <see cref="FormatException"/> because <see cref="InvalidDataException"/> is sealed; a corrupt gzip
/// stream's <see cref="InvalidDataException"/> is kept as the <see cref="Exception.InnerException"/>.
/// </remarks>
public sealed class DataFormatException : FormatException
{
    /// <summary>Creates an exception for a fault at a byte offset of a binary file.</summary>
    /// <param name="filePath">The file that holds the fault.</param>
    /// <param name="byteOffset">The zero-based byte offset of the fault.</param>
    /// <param name="reason">What is wrong, as a sentence.</param>
    /// <param name="innerException">The exception that revealed the fault, if any.</param>
    public DataFormatException(string filePath, long byteOffset, string reason, Exception? innerException = null)
        : base(FormatMessage(filePath, $"byte {byteOffset.ToString(CultureInfo.InvariantCulture)}", reason), innerException)
    {
        FilePath = filePath;
        ByteOffset = byteOffset;
        Reason = reason;
    }

    /// <summary>Creates an exception for a fault on a line, and optionally in one column, of a text file.</summary>
    /// <param name="filePath">The file that holds the fault.</param>
    /// <param name="line">The one-based line number of the fault.</param>
    /// <param name="column">The one-based column (field) number of the fault, or <see langword="null"/> when the fault concerns the whole line.</param>
    /// <param name="reason">What is wrong, as a sentence.</param>
    /// <param name="innerException">The exception that revealed the fault, if any.</param>
    public DataFormatException(string filePath, int line, int? column, string reason, Exception? innerException = null)
        : base(FormatMessage(filePath, FormatLine(line, column), reason), innerException)
    {
        FilePath = filePath;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>Gets the path of the malformed file, as it was given to the loader.</summary>
    public string FilePath { get; }

    /// <summary>Gets the zero-based byte offset of the fault in a binary file, or <see langword="null"/> for a text file.</summary>
    public long? ByteOffset { get; }

    /// <summary>Gets the one-based line number of the fault in a text file, or <see langword="null"/> for a binary file.</summary>
    public int? Line { get; }

    /// <summary>
    /// Gets the one-based column (field, not character) number of the fault in a text file, or <see langword="null"/>
    /// when the fault concerns a whole line or the file is binary.
    /// </summary>
    public int? Column { get; }

    /// <summary>Gets what is wrong, without the file name and position that <see cref="Exception.Message"/> adds.</summary>
    public string Reason { get; }

    private static string FormatLine(int line, int? column) =>
        column is int c
            ? string.Create(CultureInfo.InvariantCulture, $"line {line}, column {c}")
            : string.Create(CultureInfo.InvariantCulture, $"line {line}");

    private static string FormatMessage(string filePath, string position, string reason) =>
        $"'{filePath}', {position}: {reason}";
}
