using System.Text;

namespace Microsoft.ML.Pruning.TorchSharp.Tests;

/// <summary>
/// Checks what build/TorchSharpDebianFix.targets did to this test project's output: the GLIBCXX_3.4.32 requirement of
/// the output copy of libLibTorchSharp.so is weak exactly when the system libstdc++ lacks that version, and the NuGet
/// cache's copy is never touched. The ELF reading here is written independently of the MSBuild task.
/// </summary>
[TestClass]
public sealed class DebianLoadFixTests
{
    private const string Version = "GLIBCXX_3.4.32";

    [TestMethod]
    public void TheOutputCopyIsMarkedWeakOnlyWhereTheSystemLacksTheVersionAndTheCacheIsUntouched()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        string cache = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!OperatingSystem.IsLinux())
        {
            // The step acts on Linux only: elsewhere the output copy is the package's file, byte for byte.
            CollectionAssert.AreEqual(File.ReadAllBytes(cache), File.ReadAllBytes(output));
            return;
        }

        bool systemHasVersion = Contains(File.ReadAllBytes("/usr/lib/x86_64-linux-gnu/libstdc++.so.6"), Encoding.ASCII.GetBytes(Version + "\0"));
        Assert.AreEqual(!systemHasVersion, IsWeak(File.ReadAllBytes(output)), "the output copy's flag");
        if (File.Exists(cache))
        {
            Assert.IsFalse(IsWeak(File.ReadAllBytes(cache)), "the NuGet cache's copy keeps its flag");
        }
    }

    private static bool IsWeak(byte[] elf)
    {
        long headers = BitConverter.ToInt64(elf, 0x28);
        int size = BitConverter.ToUInt16(elf, 0x3A), count = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < count; s++)
        {
            int header = (int)(headers + (s * size));
            if (BitConverter.ToUInt32(elf, header + 4) != 0x6ffffffe)
            {
                continue;
            }

            int offset = (int)BitConverter.ToInt64(elf, header + 24);
            int strings = (int)BitConverter.ToInt64(elf, (int)(headers + (BitConverter.ToUInt32(elf, header + 40) * size)) + 24);
            for (int need = offset, n = 0; n < BitConverter.ToUInt32(elf, header + 44); n++, need += (int)BitConverter.ToUInt32(elf, need + 12))
            {
                for (int aux = need + (int)BitConverter.ToUInt32(elf, need + 8), a = 0; a < BitConverter.ToUInt16(elf, need + 2); a++, aux += (int)BitConverter.ToUInt32(elf, aux + 12))
                {
                    int name = strings + (int)BitConverter.ToUInt32(elf, aux + 8);
                    if (Encoding.ASCII.GetString(elf, name, Array.IndexOf(elf, (byte)0, name) - name) == Version)
                    {
                        return (BitConverter.ToUInt16(elf, aux + 4) & 2) != 0;
                    }
                }
            }
        }

        Assert.Fail($"{Version} is not among the library's version requirements");
        return false;
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
