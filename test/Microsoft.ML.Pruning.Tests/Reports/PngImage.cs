using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Reports;

/// <summary>A minimal PNG reader for screenshots: 8-bit RGB or RGBA, not interlaced (what headless Chromium writes).</summary>
internal sealed class PngImage
{
    private readonly byte[] pixels;
    private readonly int channels;

    private PngImage(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        this.channels = channels;
        this.pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Reads a PNG file, failing the test on a format this reader does not handle.</summary>
    public static PngImage Read(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        byte[] signature = [137, 80, 78, 71, 13, 10, 26, 10];
        Assert.IsTrue(file.AsSpan(0, 8).SequenceEqual(signature), $"{path} is not a PNG file.");
        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        for (int at = 8; at < file.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            var data = file.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.AreEqual(8, data[8], "Only 8-bit PNG is read.");
                channels = data[9] switch { 2 => 3, 6 => 4, _ => throw new AssertFailedException($"PNG colour type {data[9]} is not read.") };
                Assert.AreEqual(0, data[12], "Interlaced PNG is not read.");
            }
            else if (type == "IDAT")
            {
                compressed.Write(data);
            }

            at += 12 + length;
        }

        compressed.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        return new PngImage(width, height, channels, Unfilter(inflated.ToArray(), width, height, channels));
    }

    /// <summary>Counts the pixels of exactly this colour.</summary>
    public int Count(byte red, byte green, byte blue)
    {
        int count = 0;
        for (int i = 0; i < pixels.Length; i += channels)
        {
            if (pixels[i] == red && pixels[i + 1] == green && pixels[i + 2] == blue)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Counts the distinct RGB colours.</summary>
    public int DistinctColors()
    {
        var colors = new HashSet<int>();
        for (int i = 0; i < pixels.Length; i += channels)
        {
            colors.Add(pixels[i] << 16 | pixels[i + 1] << 8 | pixels[i + 2]);
        }

        return colors.Count;
    }

    private static byte[] Unfilter(byte[] raw, int width, int height, int channels)
    {
        int stride = width * channels;
        Assert.AreEqual(height * (stride + 1), raw.Length, "The PNG's image data has the wrong length.");
        var result = new byte[height * stride];
        for (int row = 0; row < height; row++)
        {
            byte filter = raw[row * (stride + 1)];
            var source = raw.AsSpan(row * (stride + 1) + 1, stride);
            var line = result.AsSpan(row * stride, stride);
            Span<byte> above = row == 0 ? new byte[stride] : result.AsSpan((row - 1) * stride, stride);
            for (int i = 0; i < stride; i++)
            {
                int left = i >= channels ? line[i - channels] : 0;
                int up = above[i];
                int upLeft = i >= channels ? above[i - channels] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new AssertFailedException($"PNG filter {filter} is not defined."),
                };
                line[i] = (byte)(source[i] + predictor);
            }
        }

        return result;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
