using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>One file a command will write: the option that names it, the path, and the extensions that say its format.</summary>
internal sealed record OutputFile(string Option, string? Path, params string[] Extensions);

/// <summary>
/// Checks a command's output files before any work: each has an extension that picks its format, can be written now
/// (<see cref="SaveTarget.EnsureWritable"/>), and is neither another output nor one of the command's input files.
/// </summary>
internal static class OutputPaths
{
    /// <summary>Throws a <see cref="UserException"/> naming the option and the user's path for the first output that fails a check.</summary>
    /// <param name="outputs">The files the command will write (a null path is not written).</param>
    /// <param name="inputs">The command's input files by option (a null path, or one that is not a file, is ignored).</param>
    public static void Check(IReadOnlyList<OutputFile> outputs, params (string Option, string? Path)[] inputs)
    {
        var seen = new List<(string Option, string Full)>();
        foreach (var (option, path) in inputs)
        {
            if (path is not null && File.Exists(path))
            {
                seen.Add((option, Full(path)));
            }
        }

        foreach (var output in outputs)
        {
            if (output.Path is not { } path)
            {
                continue;
            }

            if (!output.Extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            {
                throw new UserException($"{output.Option}: '{path}' must end in {string.Join(" or ", output.Extensions)}, which picks the file's format.");
            }

            string full = Full(path);
            foreach (var (other, otherFull) in seen)
            {
                if (string.Equals(full, otherFull, StringComparison.Ordinal))
                {
                    throw new UserException($"{output.Option}: '{path}' is also the {other} file; give each file its own name.");
                }
            }

            try
            {
                SaveTarget.EnsureWritable(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UserException($"{output.Option}: {e.Message}");
            }

            seen.Add((output.Option, full));
        }
    }

    /// <summary>
    /// The full path with symbolic links resolved in every folder on the way and in the file itself, so that two names of
    /// one file clash (<c>data.csv</c> and <c>link-to-here/data.csv</c>). Parts that do not exist yet stay as written.
    /// </summary>
    internal static string Full(string path)
    {
        string full = Path.GetFullPath(path);
        // Each resolved link restarts the walk, since its target may hold links too; the bound stops a cycle (ELOOP is 40).
        for (int resolved = 0; resolved < 40; resolved++)
        {
            string? relinked = ResolveFirstLink(full);
            if (relinked is null)
            {
                return full;
            }

            full = relinked;
        }

        return full;
    }

    /// <summary>Replaces the first link on the way to <paramref name="full"/> by its target, or returns <see langword="null"/> when there is none.</summary>
    private static string? ResolveFirstLink(string full)
    {
        string root = Path.GetPathRoot(full) ?? "/";
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        string current = root;
        for (int i = 0; i < parts.Length; i++)
        {
            current = Path.Combine(current, parts[i]);
            try
            {
                // LinkTarget reads the link itself (a file or a folder, even a dangling one); null when the part is no link.
                if (new FileInfo(current).LinkTarget is not { } target)
                {
                    continue;
                }

                string resolved = Path.GetFullPath(target, Path.GetDirectoryName(current) ?? root);
                return Path.GetFullPath(Path.Combine([resolved, .. parts[(i + 1)..]]));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        return null;
    }
}
