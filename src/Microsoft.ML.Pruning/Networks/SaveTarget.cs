namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// The rules every save of the library (models, ONNX, reports, HTML) follows for its target path, and a check that a
/// tool can run before long work so that it fails at once rather than after it.
/// </summary>
/// <remarks>
/// <para>A save writes a temporary file beside the target, flushes it to disk and renames it over the target, so that
/// a reader sees the old file or the whole new one, never a part.</para>
/// <para>The target must be a regular file or not exist. A folder, a device (<c>/dev/full</c>, <c>/dev/null</c>), a FIFO
/// or a socket is refused, never replaced. A symbolic link is followed, to its final target, and that file is replaced
/// (the link stays a link); the final target must itself be a regular file or not exist.</para>
/// <para>Temporary files are named <c>.NAME.PID.RANDOM.tmp</c>. A save removes the ones that an earlier save of the
/// same target left when its process was killed (the process id is no longer running).</para>
/// </remarks>
internal static class SaveTarget
{
    /// <summary>Checks that a file can be saved at <paramref name="path"/> now: the target is allowed, and its folder exists and accepts a new file.</summary>
    /// <param name="path">The file a later save will write.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The target is a folder, a device, a FIFO or a socket, its folder does not exist, or a file cannot be created there; the message names <paramref name="path"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder does not let this process create a file; the message names <paramref name="path"/>.</exception>
    public static void EnsureWritable(string path)
    {
        string target = Resolve(path);
        string probe = AtomicFile.TemporaryName(target);
        try
        {
            using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.WriteByte(0);
                stream.Flush(flushToDisk: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw AtomicFile.Rename(e, probe, path, "cannot be written");
        }
        finally
        {
            AtomicFile.TryDelete(probe);
        }
    }

    /// <summary>Resolves <paramref name="path"/> to the full path a save replaces, following symbolic links, and refuses targets that are not regular files.</summary>
    /// <param name="path">The target path.</param>
    /// <returns>The full path of the file to write.</returns>
    internal static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string target = Path.GetFullPath(path);
        for (int hops = 0; ; hops++)
        {
            switch (FileKind.Of(target))
            {
                case FileKind.Kind.Missing:
                    string? folder = Path.GetDirectoryName(target);
                    if (folder is not null && !Directory.Exists(folder))
                    {
                        throw new IOException($"'{path}' cannot be written: the folder '{folder}' does not exist.");
                    }

                    return target;
                case FileKind.Kind.Regular:
                    return target;
                case FileKind.Kind.Directory:
                    throw new IOException($"'{path}' is a folder; give a file name.");
                case FileKind.Kind.Special or FileKind.Kind.Pipe:
                    throw new IOException($"'{path}' is not a regular file (a device, FIFO or socket); saves only create or replace regular files.");
                default:
                    if (hops == 40)
                    {
                        throw new IOException($"'{path}' is a chain of more than 40 symbolic links.");
                    }

                    string link = new FileInfo(target).LinkTarget!;
                    target = Path.GetFullPath(link, Path.GetDirectoryName(target)!);
                    break;
            }
        }
    }
}
