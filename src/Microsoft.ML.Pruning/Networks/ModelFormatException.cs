namespace Microsoft.ML.Pruning.Networks;

/// <summary>A saved model could not be read: the file is truncated, corrupt, of another format or of an unknown version.</summary>
public sealed class ModelFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file, or <see langword="null"/> for a stream.</param>
    /// <param name="byteOffset">The byte offset where reading failed.</param>
    /// <param name="detail">What is wrong.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public ModelFormatException(string? filePath, long byteOffset, string detail, Exception? inner = null)
        : base($"{filePath ?? "<stream>"} at byte {byteOffset}: {detail}", inner)
    {
        FilePath = filePath;
        ByteOffset = byteOffset;
    }

    /// <summary>Gets the file that failed to load, or <see langword="null"/> for a stream.</summary>
    public string? FilePath { get; }

    /// <summary>Gets the byte offset where reading failed.</summary>
    public long ByteOffset { get; }
}
