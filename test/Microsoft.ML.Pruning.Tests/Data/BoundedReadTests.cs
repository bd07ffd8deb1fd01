using System.IO.Compression;
using System.Text;
using Microsoft.ML.Pruning.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Data;

/// <summary>Issue 13 item 17: /dev/zero and gzip bombs fail early, with a format error naming the file, and memory stays bounded.</summary>
[TestClass]
public sealed class BoundedReadTests
{
    private TempDirectory _temp = null!;

    [TestInitialize]
    public void Initialize() => _temp = new TempDirectory();

    [TestCleanup]
    public void Cleanup() => _temp.Dispose();

    [TestMethod]
    public void ReadLabels_GzipBombAfterAValidHeader_StopsNearTheDeclaredSize()
    {
        // 3 labels declared, then 64 MiB of zeros that compress to about 64 KiB. Before: all 64 MiB were inflated first.
        string path = _temp.File("bomb-labels.gz");
        WriteGzip(path, IdxTestFiles.Labels(1, 2, 3), zeros: 64 << 20);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.ThrowsException<DataFormatException>(() => IdxLoader.ReadLabels(path));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.AreEqual(path, e.FilePath);
        StringAssert.Contains(e.Message, "follow the 11 that the header declares");
        Assert.IsTrue(allocated < 8 << 20, $"allocated {allocated:N0} bytes");
    }

    [TestMethod]
    public void ReadImages_DevZero_FailsAtTheMagicNumber()
    {
        var e = Assert.ThrowsException<DataFormatException>(() => IdxLoader.ReadImages("/dev/zero"));

        Assert.AreEqual("/dev/zero", e.FilePath);
        StringAssert.Contains(e.Message, "found 0x00000000");
    }

    [TestMethod]
    public void CsvLoad_DevZero_FailsAtTheFirstNulByte()
    {
        // Before: read up to 2 GiB before failing.
        var e = Assert.ThrowsException<DataFormatException>(() => CsvLoader.Load("/dev/zero"));

        Assert.AreEqual("/dev/zero", e.FilePath);
        StringAssert.Contains(e.Message, "NUL byte");
    }

    [TestMethod]
    public void CsvLoad_GzipBombOfText_StopsAtMaximumBytes()
    {
        string path = _temp.File("bomb.csv.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            byte[] row = Encoding.ASCII.GetBytes("1,0\n");
            gzip.Write("f,label\n"u8);
            for (int i = 0; i < (4 << 20) / row.Length; i++)
            {
                gzip.Write(row);
            }
        }

        var e = Assert.ThrowsException<DataFormatException>(() => CsvLoader.Load(path, new CsvLoadOptions { MaximumBytes = 1 << 20 }));

        StringAssert.Contains(e.Message, "more than 1,048,576 bytes (decompressed)");
    }

    [TestMethod]
    public void MaximumBytes_OutOfRange_IsRejectedNamingTheOption()
    {
        Assert.AreEqual("MaximumBytes", Assert.ThrowsException<ArgumentOutOfRangeException>(() => CsvLoader.Load("/dev/zero", new CsvLoadOptions { MaximumBytes = 0 })).ParamName);
        Assert.AreEqual("MaximumBytes", Assert.ThrowsException<ArgumentOutOfRangeException>(() => IdxLoader.ReadLabels("/dev/zero", new IdxLoadOptions { MaximumBytes = long.MaxValue })).ParamName);
    }

    [TestMethod]
    [Timeout(20_000)]
    public void CsvLoad_Fifo_FailsAtOnceInsteadOfWaitingForAWriter()
    {
        string fifo = _temp.File("pipe.csv");
        TestSupport.FileSystemFixtures.MakeFifo(fifo);

        var e = Assert.ThrowsException<DataFormatException>(() => CsvLoader.Load(fifo));

        StringAssert.Contains(e.Message, "FIFO or socket");
    }

    private static void WriteGzip(string path, byte[] header, int zeros)
    {
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gzip.Write(header);
        var block = new byte[1 << 20];
        for (int written = 0; written < zeros; written += block.Length)
        {
            gzip.Write(block);
        }
    }
}
