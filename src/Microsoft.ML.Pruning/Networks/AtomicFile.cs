using System.Diagnostics;
using System.Globalization;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>Writes files so that a reader sees either the old content or the complete new one, never a partial file (rules in <see cref="SaveTarget"/>).</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes through <paramref name="write"/> into a temporary file beside the target, flushes it to disk, then moves it
    /// over the target. On any failure the temporary file is removed and the old file is untouched.
    /// </summary>
    /// <param name="path">The destination file; see <see cref="SaveTarget"/> for what it may be.</param>
    /// <param name="write">Writes the whole content to the stream it is given.</param>
    /// <exception cref="IOException">The target is not allowed, or writing failed (a full disk); the message names <paramref name="path"/>, not the temporary file.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or file may not be written; the message names <paramref name="path"/>.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        string target = SaveTarget.Resolve(path);
        RemoveAbandoned(target);
        string temporary = TemporaryName(target);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Rename(e, temporary, path, "could not be saved");
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    /// <summary>A new temporary name beside <paramref name="target"/> that records this process's id.</summary>
    internal static string TemporaryName(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, string.Create(CultureInfo.InvariantCulture, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp"));

    /// <summary>Rewrites a file error so that it names the user's path instead of the temporary file.</summary>
    internal static Exception Rename(Exception e, string temporary, string path, string what)
    {
        string detail = e.Message.Replace(temporary, path, StringComparison.Ordinal);
        string message = $"'{path}' {what}: {detail}";
        return e is UnauthorizedAccessException ? new UnauthorizedAccessException(message, e) : new IOException(message, e);
    }

    internal static void TryDelete(string file)
    {
        try
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary file is removed by the next save of the same target.
        }
    }

    /// <summary>Removes temporary files of <paramref name="target"/> whose writing process is no longer running (it was killed mid-save).</summary>
    private static void RemoveAbandoned(string target)
    {
        string folder = Path.GetDirectoryName(target)!, prefix = $".{Path.GetFileName(target)}.";
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(folder, prefix + "*.tmp").ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (string file in candidates)
        {
            string[] parts = Path.GetFileName(file)[prefix.Length..].Split('.');
            if (parts.Length == 3 && parts[1].Length == 32 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && !IsRunning(pid))
            {
                TryDelete(file);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
