using System.IO.Compression;
using Microsoft.ML.Pruning.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Data;

/// <summary>
/// Issue 19 item 14: an IDX header is checked against the loader's bound as soon as it arrives, in arithmetic that
/// cannot overflow, and the error names the file: dimensions whose product passes 2^63, and a gzip file whose header
/// declares more than <see cref="IdxLoadOptions.MaximumBytes"/>, fail at the header without inflating the rest.
/// </summary>
[TestClass]
public sealed class IdxHeaderBoundsTests
{
    private TempDirectory _temp = null!;

    [TestInitialize]
    public void Initialize() => _temp = new TempDirectory();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    /// <summary>2^30 images of 2^30 x 2^30 pixels: 2^90 bytes, which wrapped to 0 in 64-bit arithmetic and passed for a 16-byte file.</summary>
    [TestMethod]
    public void ReadImages_DimensionsWhoseProductPasses2To63_FailsAtTheHeaderNamingTheFile()
    {
        string path = _temp.File("overflow-images");
        File.WriteAllBytes(path, IdxTestFiles.Header(0x00000803, 1 << 30, 1 << 30, 1 << 30));

        var e = Assert.ThrowsException<DataFormatException>(() => IdxLoader.ReadImages(path));

        Assert.AreEqual(path, e.FilePath);
        StringAssert.Contains(e.Message, "1,237,940,039,285,380,274,899,124,224 bytes after the 16-byte header");
    }

    /// <summary>A gzip file whose header declares 3 GB stops at the header: before, it was inflated up to the 1 GiB cap first.</summary>
    [TestMethod]
    public void ReadImages_GzipHeaderDeclaringMoreThanMaximumBytes_FailsBeforeInflatingTheRest()
    {
        string path = _temp.File("large-images.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write(IdxTestFiles.Header(0x00000803, 3000, 1000, 1000));
            var block = new byte[1 << 20];
            for (int i = 0; i < 128; i++)
            {
                gzip.Write(block);
            }
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.ThrowsException<DataFormatException>(() => IdxLoader.ReadImages(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.AreEqual(path, e.FilePath);
        StringAssert.Contains(e.Message, "3000 images of 1000x1000 bytes: 3,000,000,000 bytes");
        StringAssert.Contains(e.Message, "MaximumBytes");
        Assert.IsTrue(allocated < 8 << 20, $"allocated {allocated:N0} bytes");
    }
}
