using Microsoft.ML.Pruning.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Data;

[TestClass]
public sealed class IdxLoaderTests
{
    // Three 2x3 images; pixel values chosen so that each position is recognisable.
    private static readonly byte[] Pixels = [0, 51, 102, 153, 204, 255, 1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60];
    private static readonly byte[] LabelValues = [7, 0, 3];

    private TempDirectory _temp = null!;

    [TestInitialize]
    public void CreateFolder() => _temp = new TempDirectory();

    [TestCleanup]
    public void DeleteFolder() => _temp.Dispose();

    private string Write(string name, byte[] content, bool gzip = false)
    {
        string path = _temp.File(name);
        File.WriteAllBytes(path, gzip ? IdxTestFiles.Gzip(content) : content);
        return path;
    }

    private (string Images, string Labels) WriteGood(bool gzip)
    {
        string suffix = gzip ? ".gz" : string.Empty;
        return (Write("images" + suffix, IdxTestFiles.Images(3, 2, 3, Pixels), gzip), Write("labels" + suffix, IdxTestFiles.Labels(LabelValues), gzip));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Load_RawOrGzip_ReadsImagesScaledToUnitRange(bool gzip)
    {
        var (images, labels) = WriteGood(gzip);

        Dataset data = IdxLoader.Load(images, labels);

        CollectionAssert.AreEqual(new[] { 3, 1, 2, 3 }, data.Features.Shape);
        CollectionAssert.AreEqual(new[] { 7, 0, 3 }, data.Labels);
        Assert.AreEqual(8, data.ClassCount, "the largest label plus one");
        CollectionAssert.AreEqual(new[] { 0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f }, data.GetSample(0).ToArray());
        Assert.AreEqual(60 / 255f, data.Features[2, 0, 1, 2]);
        Assert.AreEqual(2 / 255f, data.Features[1, 0, 0, 1]);
    }

    [TestMethod]
    public void Load_WithoutScaling_KeepsByteValues()
    {
        var (images, labels) = WriteGood(gzip: false);

        Dataset data = IdxLoader.Load(images, labels, new IdxLoadOptions { ScaleToUnitRange = false, ClassCount = 10 });

        CollectionAssert.AreEqual(Pixels.Select(p => (float)p).ToArray(), data.Features.Span.ToArray());
        Assert.AreEqual(10, data.ClassCount);
    }

    [TestMethod]
    public void Load_GzipDetectedByContentNotExtension()
    {
        string images = Write("images.idx", IdxTestFiles.Images(3, 2, 3, Pixels), gzip: true);
        string labels = Write("labels.gz", IdxTestFiles.Labels(LabelValues), gzip: false);

        Dataset data = IdxLoader.Load(images, labels);

        Assert.AreEqual(3, data.Count);
        Assert.AreEqual(1f, data.Features[0, 0, 1, 2]);
    }

    [TestMethod]
    public void Load_MaxCount_ReadsFirstSamplesAndInfersClassesFromWholeFile()
    {
        var (images, labels) = WriteGood(gzip: true);

        Dataset data = IdxLoader.Load(images, labels, new IdxLoadOptions { MaxCount = 2 });

        Assert.AreEqual(2, data.Count);
        CollectionAssert.AreEqual(new[] { 7, 0 }, data.Labels);
        Assert.AreEqual(8, data.ClassCount);
        Assert.AreEqual(6 / 255f, data.Features[1, 0, 1, 2]);
        Assert.AreEqual(3, IdxLoader.Load(images, labels, new IdxLoadOptions { MaxCount = 50 }).Count);
    }

    [TestMethod]
    public void ReadImagesAndReadLabels_ReadOneFileEach()
    {
        var (images, labels) = WriteGood(gzip: false);

        CollectionAssert.AreEqual(new[] { 3, 1, 2, 3 }, IdxLoader.ReadImages(images).Shape);
        CollectionAssert.AreEqual(new[] { 7, 0, 3 }, IdxLoader.ReadLabels(labels));
        CollectionAssert.AreEqual(new[] { 7 }, IdxLoader.ReadLabels(labels, new IdxLoadOptions { MaxCount = 1 }));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Load_TruncatedImages_ThrowsWithByteOffset(bool gzip)
    {
        byte[] whole = IdxTestFiles.Images(3, 2, 3, Pixels);
        string images = Write("images", whole[..^4], gzip);
        string labels = Write("labels", IdxTestFiles.Labels(LabelValues));

        var e = Assert.ThrowsExactly<DataFormatException>(() => IdxLoader.Load(images, labels));

        Assert.AreEqual(images, e.FilePath);
        Assert.AreEqual(16 + 18 - 4, e.ByteOffset);
        Assert.IsNull(e.Line);
        StringAssert.Contains(e.Message, images);
        StringAssert.Contains(e.Message, "byte 30");
        StringAssert.Contains(e.Message, "truncated");
        StringAssert.Contains(e.Message, "within image 2");
        Assert.AreEqual(gzip, e.Message.Contains("decompressed", StringComparison.Ordinal));
    }

    [TestMethod]
    public void Load_TruncatedHeader_ThrowsWithByteOffset()
    {
        string images = Write("images", IdxTestFiles.Images(3, 2, 3, Pixels)[..10]);
        string labels = Write("labels", [0, 0, 8]);

        Assert.AreEqual(10, Assert.ThrowsExactly<DataFormatException>(() => IdxLoader.ReadImages(images)).ByteOffset);
        Assert.AreEqual(3, Assert.ThrowsExactly<DataFormatException>(() => IdxLoader.ReadLabels(labels)).ByteOffset);
    }

    [TestMethod]
    public void Load_WrongMagic_ThrowsAtByteZero()
    {
        string images = Write("images", IdxTestFiles.Labels(LabelValues));
        string other = Write("other", [.. IdxTestFiles.Header(0x00000C03, 1, 1, 1), 0, 0, 0, 0]);

        var e = Assert.ThrowsExactly<DataFormatException>(() => IdxLoader.ReadImages(images));
        Assert.AreEqual(0, e.ByteOffset);
        StringAssert.Contains(e.Message, "0x00000803");
        StringAssert.Contains(e.Message, "found 0x00000801");
        StringAssert.Contains(e.Message, "looks like an IDX label file");
        StringAssert.Contains(Assert.ThrowsExactly<DataFormatException>(() => IdxLoader.ReadImages(other)).Message, "found 0x00000C03");
    }

    [TestMethod]
    public void Load_CountMismatch_ThrowsNamingBothFiles()
    {
        string images = Write("images", IdxTestFiles.Images(3, 2, 3, Pixels));
        string labels = Write("labels", IdxTestFiles.Labels(1, 2));

        var e = Assert.ThrowsExactly<DataFormatException>(() => IdxLoader.Load(images, labels));

        Assert.AreEqual(labels, e.FilePath);
        Assert.AreEqual(4, e.ByteOffset);
        StringAssert.Contains(e.Message, "declares 2 labels");
        StringAssert.Contains(e.Message, images);
        StringAssert.Contains(e.Message, "3 images");
    }

    [TestMethod]
    public void Load_LabelOutOfRange_ThrowsWithLabelOffset()
    {
        var (images, labels) = WriteGood(gzip: false);

        var e = Assert.ThrowsExactly<DataFormatException>(() => IdxLoader.Load(images, labels, new IdxLoadOptions { ClassCount = 5 }));

        Assert.AreEqual(labels, e.FilePath);
        Assert.AreEqual(8, e.ByteOffset, "label 7 of sample 0 is the first byte after the 8-byte header");
        StringAssert.Contains(e.Message, "Label 7 of sample 0 is outside the class range [0, 5)");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Load_EmptyFile_Throws(bool gzip)
    {
        string images = Write("images", [], gzip);

        var e = Assert.ThrowsExactly<DataFormatException>(() => IdxLoader.ReadImages(images));

        Assert.AreEqual(0, e.ByteOffset);
        StringAssert.Contains(e.Message, "empty");
    }

    [TestMethod]
    public void Load_TrailingBytesOrZeroCount_Throws()
    {
        string padded = Write("padded", [.. IdxTestFiles.Labels(LabelValues), 9]);
        string none = Write("none", IdxTestFiles.Labels());

        var trailing = Assert.ThrowsExactly<DataFormatException>(() => IdxLoader.ReadLabels(padded));
        Assert.AreEqual(11, trailing.ByteOffset);
        StringAssert.Contains(trailing.Message, "1 unexpected bytes");
        Assert.AreEqual(4, Assert.ThrowsExactly<DataFormatException>(() => IdxLoader.ReadLabels(none)).ByteOffset);
    }

    [TestMethod]
    public void Load_CorruptGzip_ThrowsDataFormatException()
    {
        byte[] gzip = IdxTestFiles.Gzip(IdxTestFiles.Images(3, 2, 3, Pixels));
        gzip[12] ^= 0xff;
        gzip[13] ^= 0xff;
        string images = Write("images.gz", gzip);

        var e = Assert.ThrowsExactly<DataFormatException>(() => IdxLoader.ReadImages(images));

        Assert.AreEqual(images, e.FilePath);
    }

    [TestMethod]
    public void Load_MissingFile_ThrowsFileNotFoundNamingIt()
    {
        string missing = _temp.File("missing-images");

        var e = Assert.ThrowsExactly<FileNotFoundException>(() => IdxLoader.ReadImages(missing));

        Assert.AreEqual(missing, e.FileName);
        StringAssert.Contains(e.Message, missing);
    }

    [TestMethod]
    public void Load_InvalidOptions_ThrowNamingTheOption()
    {
        var (images, labels) = WriteGood(gzip: false);

        Assert.AreEqual("MaxCount", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => IdxLoader.Load(images, labels, new IdxLoadOptions { MaxCount = 0 })).ParamName);
        Assert.AreEqual("ClassCount", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => IdxLoader.Load(images, labels, new IdxLoadOptions { ClassCount = 257 })).ParamName);
    }

    [TestMethod]
    public void LoadFashionMnist_StandardNames_LoadsRawAndGzipFiles()
    {
        Write("train-images-idx3-ubyte.gz", IdxTestFiles.Images(3, 2, 3, Pixels), gzip: true);
        Write("train-labels-idx1-ubyte", IdxTestFiles.Labels(LabelValues));
        Write("t10k-images-idx3-ubyte", IdxTestFiles.Images(1, 2, 3, Pixels[..6]));
        Write("t10k-labels-idx1-ubyte.gz", IdxTestFiles.Labels(9), gzip: true);

        var (train, test) = IdxLoader.LoadFashionMnist(_temp.Path);

        Assert.AreEqual(3, train.Count);
        Assert.AreEqual(1, test.Count);
        Assert.AreEqual(10, test.ClassCount);
        Assert.AreEqual("Ankle boot", test.ClassNames![test.Labels[0]]);
        Assert.AreEqual("Sneaker", train.ClassNames![train.Labels[0]]);
    }

    [TestMethod]
    public void LoadFashionMnist_MissingFile_ThrowsNamingBothCandidates()
    {
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => IdxLoader.LoadFashionMnist(_temp.Path));

        StringAssert.Contains(e.Message, "train-images-idx3-ubyte.gz");
        StringAssert.Contains(e.Message, "dataset-fashion-mnist");
    }
}
