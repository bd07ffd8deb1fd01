using System.IO.Compression;

namespace Microsoft.ML.Pruning.Data;

/// <summary>Reads a data file whole, gunzipping it when it starts with the gzip magic bytes, without reading past a bound.</summary>
internal static class DataFile
{
    /// <summary>The default most bytes a data file may hold (after decompression): 1 GiB.</summary>
    public const long DefaultMaximumBytes = 1L << 30;

    private const int ChunkBytes = 1 << 16;

    /// <summary>Looks at the bytes read so far (and where the newest chunk starts); returns the total length the content declares once it is known, or null.</summary>
    /// <remarks>It may throw a <see cref="DataFormatException"/> as soon as the bytes show the file is wrong (a bad magic number, binary data).</remarks>
    public delegate long? Inspector(ReadOnlySpan<byte> content, int newest);

    /// <summary>Reads <paramref name="path"/> (decompressed when gzip) into memory, stopping as soon as it holds more than its declared length or <paramref name="maximumBytes"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="compressed">Whether the file is gzip.</param>
    /// <param name="maximumBytes">The most (decompressed) bytes read.</param>
    /// <param name="inspect">Checks the content as it arrives and says its declared length, or null.</param>
    /// <returns>The content.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The content holds more bytes than declared or allowed, or the gzip stream is corrupt; the message names the file.</exception>
    public static byte[] ReadAllBytes(string path, out bool compressed, long maximumBytes = DefaultMaximumBytes, Inspector? inspect = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The data file '{path}' does not exist.", path);
        }

        try
        {
            Networks.FileKind.EnsureNotPipe(path);
        }
        catch (IOException e)
        {
            throw new DataFormatException(path, 0, "The file is a FIFO or socket, not a regular file; reading it could wait forever.", e);
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes);
        var head = new byte[2];
        int headLength = file.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        compressed = headLength == 2 && head[0] == 0x1f && head[1] == 0x8b;
        using var raw = new PrefixedStream(head.AsMemory(0, headLength), file);
        using Stream content = compressed ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        string note = compressed ? " (decompressed)" : string.Empty;
        var output = new MemoryStream();
        var chunk = new byte[ChunkBytes];
        long? declared = null;
        while (true)
        {
            int read;
            try
            {
                read = content.Read(chunk, 0, chunk.Length);
            }
            catch (InvalidDataException e)
            {
                throw new DataFormatException(path, output.Length, $"The gzip stream is corrupt after {output.Length} decompressed bytes: {e.Message}", e);
            }

            if (read == 0)
            {
                return output.ToArray();
            }

            int newest = (int)output.Length;
            output.Write(chunk, 0, read);
            if (declared is null && inspect is not null)
            {
                declared = inspect(output.GetBuffer().AsSpan(0, (int)output.Length), newest);
            }

            // A little past the declared size, the caller reports the exact excess; far past it, reading stops here.
            if (declared is { } length && output.Length > length + ChunkBytes)
            {
                throw new DataFormatException(path, length, $"More bytes{note} follow the {length:N0} that the header declares.");
            }

            if (output.Length > maximumBytes)
            {
                throw new DataFormatException(path, maximumBytes, $"The file holds more than {maximumBytes:N0} bytes{note}, the most the loader reads (its options' MaximumBytes).");
            }
        }
    }

    /// <summary>Replays a few bytes already read, then the rest of the stream: gzip detection without seeking (pipes, devices).</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty)
            {
                return rest.Read(buffer);
            }

            int n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
