using System.Buffers.Binary;
using System.IO.Compression;

namespace Microsoft.ML.Pruning.Tests.Data;

/// <summary>Builds small IDX files byte by byte, as the format defines them.</summary>
internal static class IdxTestFiles
{
    /// <summary>Returns an IDX image file: magic 0x00000803, three big-endian sizes, then the pixels.</summary>
    public static byte[] Images(int count, int rows, int columns, byte[] pixels) =>
        [.. Header(0x00000803, count, rows, columns), .. pixels];

    /// <summary>Returns an IDX label file: magic 0x00000801, one big-endian size, then the labels.</summary>
    public static byte[] Labels(params byte[] labels) =>
        [.. Header(0x00000801, labels.Length), .. labels];

    /// <summary>Returns the big-endian header for a magic number and its sizes.</summary>
    public static byte[] Header(int magic, params int[] sizes)
    {
        var header = new byte[4 + (4 * sizes.Length)];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int i = 0; i < sizes.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + (4 * i)), sizes[i]);
        }

        return header;
    }

    /// <summary>Compresses bytes with gzip.</summary>
    public static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }
}
