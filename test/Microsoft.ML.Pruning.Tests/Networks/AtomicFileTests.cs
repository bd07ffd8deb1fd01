using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tests.TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Networks;

/// <summary>Issue 13 items 14 and 15: saves refuse targets that are not regular files, name the user's path, and clean up after killed saves.</summary>
[TestClass]
public sealed class AtomicFileTests
{
    private static readonly byte[] Content = [1, 2, 3];

    [TestMethod]
    public void Write_Device_IsRefusedAndTheDeviceStaysADevice()
    {
        // Before: as root, the rename turned /dev/full into a regular file.
        var e = Assert.ThrowsException<IOException>(() => AtomicFile.Write("/dev/full", s => s.Write(Content)));

        StringAssert.Contains(e.Message, "'/dev/full' is not a regular file");
        Assert.AreEqual(FileKind.Kind.Special, FileKind.Of("/dev/full"));
    }

    [TestMethod]
    public void Write_Fifo_IsRefusedAndStaysAFifo()
    {
        using var directory = new TempDirectory();
        string fifo = directory.File("pipe.onnx");
        FileSystemFixtures.MakeFifo(fifo);

        Assert.ThrowsException<IOException>(() => AtomicFile.Write(fifo, s => s.Write(Content)));

        Assert.AreEqual(FileKind.Kind.Pipe, FileKind.Of(fifo));
        Assert.AreEqual(1, Directory.GetFileSystemEntries(directory.Path).Length, "no temporary file is left");
    }

    [TestMethod]
    public void Write_Folder_IsRefusedNamingIt()
    {
        using var directory = new TempDirectory();

        var e = Assert.ThrowsException<IOException>(() => AtomicFile.Write(directory.Path, s => s.Write(Content)));

        StringAssert.Contains(e.Message, "is a folder");
    }

    [TestMethod]
    public void Write_SymbolicLink_ReplacesTheFileItPointsToAndKeepsTheLink()
    {
        using var directory = new TempDirectory();
        string real = directory.WriteText("real.bin", "old"), link = directory.File("link.bin");
        File.CreateSymbolicLink(link, real);

        AtomicFile.Write(link, s => s.Write(Content));

        Assert.AreEqual(FileKind.Kind.SymbolicLink, FileKind.Of(link));
        CollectionAssert.AreEqual(Content, File.ReadAllBytes(real));
    }

    [TestMethod]
    public void Write_SymbolicLinkToADevice_IsRefused()
    {
        using var directory = new TempDirectory();
        string link = directory.File("full.bin");
        File.CreateSymbolicLink(link, "/dev/full");

        Assert.ThrowsException<IOException>(() => AtomicFile.Write(link, s => s.Write(Content)));

        Assert.AreEqual(FileKind.Kind.SymbolicLink, FileKind.Of(link));
    }

    [TestMethod]
    public void Write_TemporaryFileOfAKilledSave_IsRemoved_OneOfARunningProcessIsKept()
    {
        using var directory = new TempDirectory();
        string target = directory.File("model.onnx");
        // Process id 99999999 is above Linux's largest (4194304): that writer is gone. This process is running.
        string abandoned = directory.WriteText($".model.onnx.99999999.{Guid.NewGuid():N}.tmp", "partial");
        string running = directory.WriteText($".model.onnx.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp", "in progress");
        string unrelated = directory.WriteText($".other.onnx.99999999.{Guid.NewGuid():N}.tmp", "another target's");

        AtomicFile.Write(target, s => s.Write(Content));

        Assert.IsFalse(File.Exists(abandoned));
        Assert.IsTrue(File.Exists(running));
        Assert.IsTrue(File.Exists(unrelated));
        CollectionAssert.AreEqual(Content, File.ReadAllBytes(target));
    }

    [TestMethod]
    public void Write_WriterFails_KeepsTheOldFileAndLeavesNoTemporary()
    {
        using var directory = new TempDirectory();
        string target = directory.WriteText("report.json", "old");

        Assert.ThrowsException<InvalidDataException>(() => AtomicFile.Write(target, s =>
        {
            s.Write(Content);
            throw new InvalidDataException("writer failed");
        }));

        Assert.AreEqual("old", File.ReadAllText(target));
        Assert.AreEqual(1, Directory.GetFiles(directory.Path).Length);
    }

    [TestMethod]
    public void EnsureWritable_FolderThatTakesNoFile_NamesTheUsersPathNotATemporary()
    {
        // Before: a /proc target failed only at the save, naming '/proc/.pruned.onnx.<guid>.tmp'.
        var e = Assert.ThrowsException<IOException>(() => SaveTarget.EnsureWritable("/proc/pruned.onnx"));

        StringAssert.Contains(e.Message, "'/proc/pruned.onnx' cannot be written");
        Assert.IsFalse(e.Message.Contains(".tmp", StringComparison.Ordinal), e.Message);
    }

    [TestMethod]
    public void EnsureWritable_GoodTarget_LeavesNothingBehind()
    {
        using var directory = new TempDirectory();

        SaveTarget.EnsureWritable(directory.File("new.onnx"));

        Assert.AreEqual(0, Directory.GetFileSystemEntries(directory.Path).Length);
    }

    [TestMethod]
    public void EnsureWritable_MissingFolder_NamesTheFolder()
    {
        var e = Assert.ThrowsException<IOException>(() => SaveTarget.EnsureWritable("/no/such/folder/x.onnx"));

        StringAssert.Contains(e.Message, "the folder '/no/such/folder' does not exist");
    }

    [TestMethod]
    public void Write_DiskFullWhileWriting_NamesTheUsersPathNotTheTemporary()
    {
        // Before: "No space left on device : '/out/.pruned.onnx.<guid>.tmp'", a file the user never named.
        using var directory = new TempDirectory();
        string target = directory.File("pruned.onnx");

        var e = Assert.ThrowsException<IOException>(() => AtomicFile.Write(target, s => throw new IOException($"No space left on device : '{((FileStream)s).Name}'")));

        StringAssert.Contains(e.Message, $"'{target}' could not be saved: No space left on device : '{target}'");
        Assert.IsFalse(e.Message.Contains(".tmp", StringComparison.Ordinal), e.Message);
        Assert.AreEqual(0, Directory.GetFileSystemEntries(directory.Path).Length, "the temporary file is removed");
    }
}
