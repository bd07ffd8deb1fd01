using System.Buffers.Binary;
using System.IO.Compression;

namespace Microsoft.ML.Pruning.Data;

/// <summary>Reads a whole data file into memory, decompressing it when it is gzip.</summary>
internal static class DataFile
{
    /// <summary>Reads the file; gzip is recognised by its magic bytes 1f 8b, whatever the file's extension.</summary>
    /// <param name="path">The file.</param>
    /// <param name="compressed">Receives whether the file was gzip.</param>
    /// <returns>The (decompressed) content.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The gzip stream is corrupt.</exception>
    public static byte[] ReadAllBytes(string path, out bool compressed)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The data file '{path}' does not exist.", path);
        }

        byte[] raw = File.ReadAllBytes(path);
        compressed = raw.Length >= 2 && raw[0] == 0x1f && raw[1] == 0x8b;
        return compressed ? Decompress(path, raw) : raw;
    }

    private static byte[] Decompress(string path, byte[] raw)
    {
        // The gzip trailer ends with the uncompressed size modulo 2^32: a good first capacity for one-member files.
        // Deflate cannot expand more than about 1032 times, which bounds the hint of a corrupt trailer.
        long capacity = 4L * raw.Length;
        if (raw.Length >= 18)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(raw.Length - 4));
            capacity = size > 0 ? Math.Min(size, 1032L * raw.Length) : capacity;
        }

        using var output = new MemoryStream((int)Math.Min(capacity, Array.MaxLength));
        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw, writable: false), CompressionMode.Decompress);
            gzip.CopyTo(output);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, output.Length, $"The gzip stream is corrupt after {output.Length} decompressed bytes: {e.Message}", e);
        }

        return output.Length == output.Capacity ? output.GetBuffer() : output.ToArray();
    }
}
