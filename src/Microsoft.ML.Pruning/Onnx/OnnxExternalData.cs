using Google.Protobuf;
using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// Reads the weights that a model keeps in external data files (<c>data_location = EXTERNAL</c>, keys <c>location</c>,
/// <c>offset</c>, <c>length</c>), which must lie in the model's folder or below it: absolute paths, paths that climb out
/// of the folder and links that point out of it are rejected.
/// </summary>
internal static class OnnxExternalData
{
    /// <summary>Returns a copy of <paramref name="proto"/> whose bytes are read from its external file into <c>raw_data</c>.</summary>
    /// <param name="proto">The tensor that refers to external data.</param>
    /// <param name="directory">The model's folder, or <see langword="null"/> when the model was read from a stream.</param>
    /// <param name="expectedBytes">The byte count its dimensions and type require.</param>
    /// <param name="fail">Builds the exception for a reason.</param>
    /// <returns>The tensor with its data inline.</returns>
    public static TensorProto Inline(TensorProto proto, string? directory, long expectedBytes, Func<string, OnnxImportException> fail)
    {
        string what = string.IsNullOrEmpty(proto.Name) ? "a constant tensor" : $"tensor '{proto.Name}'";
        if (directory is null)
        {
            throw fail($"{what} keeps its data in an external file; load the model from its file path (OnnxModel.Load(path)) so that the file can be found next to it.");
        }

        string? location = null;
        long offset = 0, length = -1;
        foreach (var entry in proto.ExternalData)
        {
            switch (entry.Key)
            {
                case "location": location = entry.Value; break;
                case "offset": offset = ParseLength(entry.Value, "offset", what, fail); break;
                case "length": length = ParseLength(entry.Value, "length", what, fail); break;
            }
        }

        string path = Resolve(location, directory, what, fail);
        try
        {
            Networks.FileKind.EnsureRegularFile(path);
        }
        catch (IOException ex)
        {
            throw fail($"{what} names external file '{location}', which is not a regular file: {ex.Message}");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long available = stream.Length - offset;
        if (offset > stream.Length || (length >= 0 && length != expectedBytes) || available < expectedBytes)
        {
            throw fail($"{what} needs {expectedBytes} bytes at offset {offset} of external file '{location}' ({stream.Length} bytes, declared length {length}).");
        }

        var bytes = new byte[expectedBytes];
        stream.Position = offset;
        stream.ReadExactly(bytes);
        var inline = proto.Clone();
        inline.ExternalData.Clear();
        inline.DataLocation = TensorProto.Types.DataLocation.Default;
        inline.RawData = ByteString.CopyFrom(bytes);
        return inline;
    }

    private static string Resolve(string? location, string directory, string what, Func<string, OnnxImportException> fail)
    {
        if (string.IsNullOrEmpty(location) || Path.IsPathRooted(location) || location.Contains('\0'))
        {
            throw fail($"{what} names external file '{location}'; a relative path inside the model's folder is required.");
        }

        string root = Path.GetFullPath(directory);
        string rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        string path = Path.GetFullPath(Path.Combine(root, location));
        if (!path.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            throw fail($"{what} names external file '{location}', which lies outside the model's folder.");
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw fail($"{what} names external file '{location}', which does not exist next to the model.");
        }

        // A link inside the folder must not lead out of it.
        if (info.ResolveLinkTarget(returnFinalTarget: true) is { } target
            && !Path.GetFullPath(target.FullName).StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            throw fail($"{what} names external file '{location}', a link that leads outside the model's folder.");
        }

        return path;
    }

    private static long ParseLength(string text, string key, string what, Func<string, OnnxImportException> fail) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value)
            ? value
            : throw fail($"{what} has external-data {key} '{text}', not a non-negative integer.");
}
