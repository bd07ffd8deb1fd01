using Google.Protobuf;
using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// Reads the bytes of an ONNX file and parses them as a <see cref="ModelProto"/>. The whole model is read into memory
/// first, so declared lengths can never exceed the bytes actually present: from a seekable stream (a regular file)
/// exactly the bytes its size says, from any other at most protobuf's 2 GiB limit. Parse errors (truncation, bad wire
/// types, nesting deeper than protobuf's recursion limit) become <see cref="OnnxImportException"/>.
/// </summary>
internal static class OnnxModelReader
{
    /// <summary>The largest model accepted: protobuf messages cannot exceed 2 GiB.</summary>
    public const long MaxModelBytes = int.MaxValue;

    /// <summary>Reads and parses a model.</summary>
    /// <param name="stream">The readable stream, positioned at the model's first byte; read to its end.</param>
    /// <param name="sourceName">The file path or stream name, for error messages.</param>
    /// <returns>The parsed model.</returns>
    public static ModelProto Read(Stream stream, string? sourceName)
    {
        var bytes = ReadAll(stream, sourceName);
        try
        {
            return ModelProto.Parser.ParseFrom(bytes.GetBuffer(), 0, (int)bytes.Length);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new OnnxImportException(sourceName, null, null, $"the file is not a valid ONNX model: {ex.Message}", ex);
        }
    }

    private static MemoryStream ReadAll(Stream stream, string? sourceName)
    {
        long remaining = stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : -1;
        if (remaining > MaxModelBytes)
        {
            throw new OnnxImportException(sourceName, null, null, $"the model is {remaining} bytes; protobuf limits a model to {MaxModelBytes} bytes.");
        }

        // The size bounds the read: bytes appended while reading are not the model's.
        long bound = remaining >= 0 ? remaining : MaxModelBytes;
        var buffer = new MemoryStream(remaining > 0 ? (int)remaining : 0);
        var chunk = new byte[81920];
        int read;
        while (buffer.Length < bound && (read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, bound - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        if (remaining < 0 && buffer.Length == MaxModelBytes && stream.Read(chunk, 0, 1) > 0)
        {
            throw new OnnxImportException(sourceName, null, null, $"the model exceeds {MaxModelBytes} bytes, protobuf's limit.");
        }

        return buffer;
    }
}
