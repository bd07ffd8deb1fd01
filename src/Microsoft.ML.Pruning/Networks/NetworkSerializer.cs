using System.Text;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// Saves and loads networks in the library's native binary format (little-endian, versioned). Saving is atomic:
/// the file is written beside the target and moved over it only when complete.
/// </summary>
/// <remarks>
/// Layout of version 1: the 8 bytes <c>MLNPRUNE</c>, int32 version, the input shape (int32 rank then dimensions),
/// int32 node count, then per node its kind, name, inputs, kind-specific configuration and tensors (name, shape,
/// float32 values), and finally the 4 bytes <c>END!</c>. Version 2 adds a convolution's dilation and a pooling layer's
/// ceil mode to their configurations, and the layer kinds of real CNN families (Concat, element-wise operations, Clip,
/// HardSigmoid, HardSwish, Silu, Elu, Gelu, Pad2d, ChannelShuffle, ChannelSlice); version 1 files still load.
/// </remarks>
public static partial class NetworkSerializer
{
    /// <summary>The current format version.</summary>
    public const int FormatVersion = 2;

    private const int MaxRank = 8;

    /// <summary>The most bytes a layer may declare when the stream's length is unknown (a pipe): 1 GiB.</summary>
    private const long MaximumUnseekableBytes = 1L << 30;
    private static readonly byte[] Magic = "MLNPRUNE"u8.ToArray();
    private static readonly byte[] EndMarker = "END!"u8.ToArray();

    /// <summary>Saves <paramref name="network"/> to <paramref name="path"/> atomically.</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The destination file; replaced only once the new file is complete (written beside it, then renamed over it). It must be a regular file or not exist: a folder, a device, a FIFO or a socket is refused; a symbolic link is followed and its final target replaced.</param>
    /// <exception cref="ArgumentException">A weight is NaN or infinite; the message names the layer.</exception>
    /// <exception cref="IOException">The target is not a regular file, or writing failed; the message names <paramref name="path"/>.</exception>
    public static void Save(Network network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        FiniteWeights.Ensure(network);
        AtomicFile.Write(path, stream => Write(network, stream));
    }

    /// <summary>Writes <paramref name="network"/> to a stream.</summary>
    /// <param name="network">The network.</param>
    /// <param name="stream">The writable stream; left open.</param>
    /// <exception cref="ArgumentException">A weight is NaN or infinite; the message names the layer.</exception>
    public static void Save(Network network, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        FiniteWeights.Ensure(network);
        Write(network, stream);
    }

    private static void Write(Network network, Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        WriteInts(writer, network.InputShape);
        writer.Write(network.Nodes.Count);
        foreach (var node in network.Nodes)
        {
            writer.Write(KindOf(node.Layer));
            writer.Write(node.Layer.Name);
            WriteInts(writer, [.. node.Inputs]);
            WriteConfiguration(writer, node.Layer);
            var tensors = node.Layer.Parameters.Concat(node.Layer.Buffers).ToArray();
            writer.Write(tensors.Length);
            foreach (var tensor in tensors)
            {
                writer.Write(tensor.Name);
                WriteInts(writer, tensor.Value.Shape);
                foreach (float v in tensor.Value.Span)
                {
                    writer.Write(v);
                }
            }
        }

        writer.Write(EndMarker);
    }

    /// <summary>Loads a network saved by <see cref="Save(Network, string)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The network.</returns>
    /// <exception cref="ModelFormatException">The file is not a valid model; the message names the file and byte offset.</exception>
    /// <exception cref="IOException">The path is not a regular file (a FIFO or socket could block forever, a device never end), or cannot be read.</exception>
    public static Network Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileKind.EnsureRegularFile(path);
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Reads a network from a stream.</summary>
    /// <param name="stream">The readable stream.</param>
    /// <param name="sourceName">The name used in error messages, such as the file path.</param>
    /// <returns>The network.</returns>
    /// <exception cref="ModelFormatException">The stream does not hold a valid model, or a weight is NaN or infinite (the message names the layer).</exception>
    public static Network Load(Stream stream, string? sourceName = null) => Load(stream, sourceName, checkFinite: true);

    private static Network Load(Stream stream, string? sourceName, bool checkFinite)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            return Read(reader, stream.CanSeek ? stream.Length : MaximumUnseekableBytes, checkFinite);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or FormatException or InvalidOperationException or OverflowException && ex is not ModelFormatException)
        {
            string detail = ex is EndOfStreamException ? "the file is truncated." : ex.Message;
            throw new ModelFormatException(sourceName, stream.CanSeek ? stream.Position : -1, detail, ex);
        }
    }

    /// <summary>Returns a deep copy of a network (architecture, parameters, buffers and masks are not shared).</summary>
    /// <param name="network">The network.</param>
    /// <returns>The copy.</returns>
    public static Network Clone(Network network)
    {
        // A copy keeps whatever the network holds, NaN included: training that diverged is the loop's business, not a file's.
        using var memory = new MemoryStream();
        Write(network, memory);
        memory.Position = 0;
        var copy = Load(memory, null, checkFinite: false);
        foreach (var (source, target) in network.State.Zip(copy.State))
        {
            if (source.Mask is not null)
            {
                target.Mask = source.Mask.Clone();
            }
        }

        return copy;
    }

    private static Network Read(BinaryReader reader, long length, bool checkFinite)
    {
        var magic = reader.ReadBytes(Magic.Length);
        if (!magic.AsSpan().SequenceEqual(Magic))
        {
            throw new FormatException("this is not a Microsoft.ML.Pruning model (wrong magic bytes).");
        }

        int version = reader.ReadInt32();
        if (version < 1 || version > FormatVersion)
        {
            throw new FormatException($"format version {version} is not supported (this library reads versions 1 to {FormatVersion}).");
        }

        var network = new Network(ReadShape(reader));
        int count = ReadCount(reader, 1_000_000, "node count");
        for (int i = 0; i < count; i++)
        {
            string kind = reader.ReadString();
            string name = reader.ReadString();
            var inputs = ReadInts(reader, 4096);
            var layer = ReadConfiguration(reader, version, kind, name, length - reader.BaseStream.Position);
            int tensors = ReadCount(reader, 64, "tensor count");
            var state = layer.Parameters.Concat(layer.Buffers).ToArray();
            if (tensors != state.Length)
            {
                throw new FormatException($"layer '{name}' ({kind}) stores {tensors} tensors, expected {state.Length}.");
            }

            foreach (var parameter in state)
            {
                string tensorName = reader.ReadString();
                var shape = ReadShape(reader);
                if (tensorName != parameter.Name || !parameter.Value.HasShape(shape))
                {
                    throw new FormatException($"layer '{name}': tensor '{tensorName}' {FloatTensor.FormatShape(shape)} does not match '{parameter.Name}' {FloatTensor.FormatShape(parameter.Value.Shape)}.");
                }

                if ((long)parameter.Length * sizeof(float) > length - reader.BaseStream.Position)
                {
                    throw new EndOfStreamException();
                }

                var values = parameter.Value.Span;
                for (int v = 0; v < values.Length; v++)
                {
                    values[v] = reader.ReadSingle();
                }

                if (checkFinite && FiniteWeights.Describe(name, parameter.Name, values) is { } problem)
                {
                    throw new FormatException(problem + ".");
                }
            }

            network.Add(layer, inputs);
        }

        if (!reader.ReadBytes(EndMarker.Length).AsSpan().SequenceEqual(EndMarker))
        {
            throw new FormatException("the end marker is missing.");
        }

        return network;
    }

    private static void WriteInts(BinaryWriter writer, ReadOnlySpan<int> values)
    {
        writer.Write(values.Length);
        foreach (int v in values)
        {
            writer.Write(v);
        }
    }

    private static int[] ReadInts(BinaryReader reader, int max)
    {
        var values = new int[ReadCount(reader, max, "list length")];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadInt32();
        }

        return values;
    }

    private static int[] ReadShape(BinaryReader reader)
    {
        var shape = ReadInts(reader, MaxRank);
        if (shape.Any(d => d < 0))
        {
            throw new FormatException($"shape {FloatTensor.FormatShape(shape)} has a negative dimension.");
        }

        return shape;
    }

    private static int ReadCount(BinaryReader reader, int max, string what)
    {
        int count = reader.ReadInt32();
        if (count < 0 || count > max)
        {
            throw new FormatException($"{what} {count} is outside [0, {max}].");
        }

        return count;
    }
}
