// The MSBuild task behind TorchSharpDebianFix.targets (compiled by RoslynCodeTaskFactory at build time).
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks the GLIBCXX_3.4.32 version requirement of libLibTorchSharp.so weak under a directory, when the system
/// libstdc++ lacks that version. Rewrites the file through a temporary copy (so a hard link into the NuGet cache is
/// never written through) and only when the flag is not set yet.
/// </summary>
public sealed class MarkGlibcxxVersionWeak : Task
{
    private const string Version = "GLIBCXX_3.4.32";
    private const uint VersionNeedSection = 0x6ffffffe; // SHT_GNU_verneed
    private const ushort WeakFlag = 0x2;                // VER_FLG_WEAK

    /// <summary>Gets or sets the directory searched (recursively) for libLibTorchSharp.so.</summary>
    [Required]
    public string Directory { get; set; } = "";

    /// <inheritdoc/>
    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory) || SystemHasVersion())
        {
            return true;
        }

        foreach (var path in System.IO.Directory.GetFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(path);
            string result = Patch(bytes);
            if (result == "patched")
            {
                string temporary = path + ".weak-glibcxx.tmp";
                File.WriteAllBytes(temporary, bytes);
                File.Delete(path); // unlinks rather than writing through a hard link
                File.Move(temporary, path);
                Log.LogMessage(MessageImportance.High, $"TorchSharp Debian fix: marked {Version} weak in {path} (the system libstdc++ lacks it).");
            }
            else if (result != "already")
            {
                Log.LogMessage(MessageImportance.Normal, $"TorchSharp Debian fix: {path}: {result}; left as it is.");
            }
        }

        return !Log.HasLoggedErrors;
    }

    private static bool SystemHasVersion()
    {
        string[] candidates =
        [
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        ];
        var needle = Encoding.ASCII.GetBytes(Version + "\0");
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return Contains(File.ReadAllBytes(candidate), needle);
            }
        }

        // No libstdc++ where we look: leave the library alone.
        return true;
    }

    // Returns "patched" (bytes changed), "already" (flag set before) or why nothing was done.
    private static string Patch(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            return "not a 64-bit little-endian ELF file";
        }

        long sectionHeaders = (long)BitConverter.ToUInt64(elf, 0x28);
        int entrySize = BitConverter.ToUInt16(elf, 0x3A), count = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < count; s++)
        {
            long header = sectionHeaders + ((long)s * entrySize);
            if (BitConverter.ToUInt32(elf, (int)header + 4) != VersionNeedSection)
            {
                continue;
            }

            long offset = (long)BitConverter.ToUInt64(elf, (int)header + 24);
            int link = (int)BitConverter.ToUInt32(elf, (int)header + 40);
            int needs = (int)BitConverter.ToUInt32(elf, (int)header + 44);
            long strings = (long)BitConverter.ToUInt64(elf, (int)(sectionHeaders + ((long)link * entrySize) + 24));
            long need = offset;
            for (int n = 0; n < needs; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    long name = strings + BitConverter.ToUInt32(elf, (int)aux + 8);
                    if (ReadString(elf, name) == Version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & WeakFlag) != 0)
                        {
                            return "already";
                        }

                        BitConverter.GetBytes((ushort)(flags | WeakFlag)).CopyTo(elf, (int)aux + 4);
                        return "patched";
                    }

                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }

                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }

        return $"no {Version} requirement";
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }

            if (j == needle.Length)
            {
                return true;
            }
        }

        return false;
    }

    private static string ReadString(byte[] bytes, long start)
    {
        long end = start;
        while (end < bytes.Length && bytes[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
    }
}
