using System.Runtime.InteropServices;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>What kind of file system entry a path names, without following a final symbolic link.</summary>
internal static partial class FileKind
{
    /// <summary>The entry kinds that matter to a save.</summary>
    public enum Kind
    {
        /// <summary>Nothing is there.</summary>
        Missing,

        /// <summary>A regular file.</summary>
        Regular,

        /// <summary>A folder.</summary>
        Directory,

        /// <summary>A symbolic link.</summary>
        SymbolicLink,

        /// <summary>A character or block device.</summary>
        Special,

        /// <summary>A FIFO (named pipe) or a socket: opening or reading it can wait forever for a writer.</summary>
        Pipe,
    }

    private const int AtFileDescriptorCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int TypeMask = 0xF000, RegularType = 0x8000, DirectoryType = 0x4000, LinkType = 0xA000, FifoType = 0x1000, SocketType = 0xC000;

    /// <summary>Gets the kind of the entry at <paramref name="path"/>.</summary>
    /// <remarks>
    /// On Linux it asks statx(2) for the type bits (the structure has one layout on every architecture); elsewhere .NET's
    /// attributes tell folders and links apart, and anything else that exists counts as a regular file.
    /// </remarks>
    public static Kind Of(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            var buffer = new byte[256];
            if (Statx(AtFileDescriptorCwd, path, AtSymlinkNoFollow, StatxType, buffer) == 0)
            {
                int mode = BitConverter.ToUInt16(buffer, 28) & TypeMask;
                return mode switch
                {
                    RegularType => Kind.Regular,
                    DirectoryType => Kind.Directory,
                    LinkType => Kind.SymbolicLink,
                    FifoType or SocketType => Kind.Pipe,
                    _ => Kind.Special,
                };
            }

            // ENOENT and ENOTDIR: nothing there; other failures fall through to .NET's view.
            if (Marshal.GetLastPInvokeError() is 2 or 20)
            {
                return Kind.Missing;
            }
        }

        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return Kind.SymbolicLink;
        }

        return Directory.Exists(path) ? Kind.Directory : info.Exists ? Kind.Regular : Kind.Missing;
    }

    /// <summary>Throws when <paramref name="path"/> (followed through symbolic links) is a FIFO or a socket, which a reader could wait on forever.</summary>
    /// <exception cref="IOException">It is; the message names <paramref name="path"/>.</exception>
    public static void EnsureNotPipe(string path)
    {
        if (OfTarget(path) == Kind.Pipe)
        {
            throw new IOException($"'{path}' is a FIFO or socket, not a file; reading it could wait forever.");
        }
    }

    /// <summary>
    /// Throws unless <paramref name="path"/> (followed through symbolic links) is a regular file or missing (opening it
    /// then reports that): a FIFO or socket could make a reader wait forever, a device such as /dev/zero never ends,
    /// and neither has a size that bounds the read.
    /// </summary>
    /// <exception cref="IOException">It is a FIFO, socket, device or folder, or a chain of more than 40 links; the message names <paramref name="path"/>.</exception>
    public static void EnsureRegularFile(string path)
    {
        switch (OfTarget(path))
        {
            case Kind.Pipe:
                throw new IOException($"'{path}' is a FIFO or socket, not a regular file; reading it could wait forever.");
            case Kind.Special:
                throw new IOException($"'{path}' is a device, not a regular file; reading it might never end.");
            case Kind.Directory:
                throw new IOException($"'{path}' is a folder, not a regular file.");
            case Kind.SymbolicLink:
                throw new IOException($"'{path}' is a chain of more than 40 symbolic links, not a regular file.");
        }
    }

    /// <summary>Gets the kind of what <paramref name="path"/> leads to through up to 40 symbolic links.</summary>
    private static Kind OfTarget(string path)
    {
        string target = Path.GetFullPath(path);
        for (int hops = 0; hops < 40 && Of(target) == Kind.SymbolicLink; hops++)
        {
            target = Path.GetFullPath(new FileInfo(target).LinkTarget!, Path.GetDirectoryName(target)!);
        }

        return Of(target);
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);
}
