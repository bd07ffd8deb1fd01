using Microsoft.ML.Pruning.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Data;

[TestClass]
public sealed class CsvLoaderTests
{
    private TempDirectory _temp = null!;

    [TestInitialize]
    public void CreateFolder() => _temp = new TempDirectory();

    [TestCleanup]
    public void DeleteFolder() => _temp.Dispose();

    private DataFormatException LoadFails(string content, CsvLoadOptions? options = null)
    {
        string path = _temp.WriteText("broken.csv", content);
        var e = Assert.ThrowsExactly<DataFormatException>(() => CsvLoader.Load(path, options));
        Assert.AreEqual(path, e.FilePath);
        Assert.IsNull(e.ByteOffset);
        StringAssert.Contains(e.Message, path);
        return e;
    }

    [TestMethod]
    public void Load_HeaderAndIntegerLabels_UsesLastColumnAsLabel()
    {
        string path = _temp.WriteText("good.csv", "a,b,label\n1.5,-2e-1,2\n\n3,4,0\r\n");

        Dataset data = CsvLoader.Load(path);

        CollectionAssert.AreEqual(new[] { 2, 2 }, data.Features.Shape);
        CollectionAssert.AreEqual(new[] { 1.5f, -0.2f, 3f, 4f }, data.Features.Span.ToArray());
        CollectionAssert.AreEqual(new[] { 2, 0 }, data.Labels);
        Assert.AreEqual(3, data.ClassCount);
        Assert.IsNull(data.ClassNames);
    }

    [TestMethod]
    public void Load_NoHeaderLabelByIndex_TakesOtherColumnsAsFeatures()
    {
        string path = _temp.WriteText("good.csv", "1;10;7\n0;20;8\n");

        Dataset data = CsvLoader.Load(path, new CsvLoadOptions { HasHeader = false, Separator = ';', LabelColumn = 0 });

        CollectionAssert.AreEqual(new[] { 10f, 7f, 20f, 8f }, data.Features.Span.ToArray());
        CollectionAssert.AreEqual(new[] { 1, 0 }, data.Labels);
    }

    [TestMethod]
    public void Load_LabelColumnName_FindsTheColumn()
    {
        string path = _temp.WriteText("good.csv", "x, species ,y\n1,setosa,2\n3,virginica,4\n5,setosa,6\n");

        Dataset data = CsvLoader.Load(path, new CsvLoadOptions { LabelColumnName = "species" });

        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, data.Features.Span.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1, 0 }, data.Labels);
        CollectionAssert.AreEqual(new[] { "setosa", "virginica" }, data.ClassNames!.ToArray());
    }

    [TestMethod]
    public void Load_StringLabels_MapsSortedOrdinalNames()
    {
        string path = _temp.WriteText("good.csv", "f,label\n1,dog\n2,cat\n3,Zebra\n4,dog\n");

        Dataset data = CsvLoader.Load(path);

        CollectionAssert.AreEqual(new[] { "Zebra", "cat", "dog" }, data.ClassNames!.ToArray(), "ordinal order puts capitals first");
        CollectionAssert.AreEqual(new[] { 2, 1, 0, 2 }, data.Labels);
        Assert.AreEqual(3, data.ClassCount);
    }

    [TestMethod]
    public void Load_CategoryEncodingOfNumbers_SortsNumerically()
    {
        string path = _temp.WriteText("good.csv", "f,label\n1,10\n2,2\n3,-1\n4,2\n");

        Dataset data = CsvLoader.Load(path, new CsvLoadOptions { LabelEncoding = CsvLabelEncoding.Category });

        CollectionAssert.AreEqual(new[] { "-1", "2", "10" }, data.ClassNames!.ToArray());
        CollectionAssert.AreEqual(new[] { 2, 1, 0, 1 }, data.Labels);
    }

    [TestMethod]
    public void Load_ClassNames_FixTheNumberingOfCategoriesAndNameIndices()
    {
        string categories = _temp.WriteText("categories.csv", "f,label\n1,benign\n2,benign\n");
        string indices = _temp.WriteText("indices.csv", "f,label\n1,1.0\n2,0\n");
        var options = new CsvLoadOptions { ClassNames = ["malignant", "benign"] };

        Dataset fromCategories = CsvLoader.Load(categories, options);
        Dataset fromIndices = CsvLoader.Load(indices, options);

        CollectionAssert.AreEqual(new[] { 1, 1 }, fromCategories.Labels);
        Assert.AreEqual(2, fromCategories.ClassCount);
        CollectionAssert.AreEqual(new[] { 1, 0 }, fromIndices.Labels);
        Assert.AreEqual("benign", fromIndices.ClassNames![1]);
        StringAssert.Contains(LoadFails("f,label\n1,cat\n", options).Message, "not one of the 2 ClassNames");
    }

    [TestMethod]
    public void Load_QuotedFields_HoldSeparatorsAndQuotes()
    {
        string path = _temp.WriteText("good.csv", "\"width, cm\",\"height\",label\n\"1.25\", 2 ,\"say \"\"hi\"\", ok\"\n3,\"4\",plain\n");

        Dataset data = CsvLoader.Load(path);

        CollectionAssert.AreEqual(new[] { 1.25f, 2f, 3f, 4f }, data.Features.Span.ToArray());
        CollectionAssert.AreEqual(new[] { "plain", "say \"hi\", ok" }, data.ClassNames!.ToArray());
        CollectionAssert.AreEqual(new[] { 1, 0 }, data.Labels);
    }

    [TestMethod]
    public void Load_BreastCancerLayout_SkipsTheCountsLine()
    {
        // The layout of scikit-learn's breast_cancer.csv: a line of counts and class names, then rows without a header.
        string path = _temp.WriteText("breast_cancer.csv", "3,2,malignant,benign\n17.99,10.38,0\n20.57,17.77,0\n7.76,24.54,1\n");

        Dataset data = CsvLoader.Load(path, new CsvLoadOptions { SkipLines = 1, HasHeader = false });

        Assert.AreEqual(3, data.Count);
        CollectionAssert.AreEqual(new[] { 2 }, data.SampleShape);
        CollectionAssert.AreEqual(new[] { 0, 0, 1 }, data.Labels);
        Assert.AreEqual(7.76f, data.GetSample(2)[0]);

        var e = LoadFails(File.ReadAllText(path));
        Assert.AreEqual(2, e.Line, "read without SkipLines, the counts line is a 4-column header");
        StringAssert.Contains(e.Message, "3 fields but the header has 4");
    }

    [TestMethod]
    public void Load_GzipFile_IsDecompressed()
    {
        string path = _temp.File("digits.csv.gz");
        File.WriteAllBytes(path, IdxTestFiles.Gzip("0,16,3\n5,1,9\n"u8.ToArray()));

        Dataset data = CsvLoader.Load(path, new CsvLoadOptions { HasHeader = false });

        CollectionAssert.AreEqual(new[] { 3, 9 }, data.Labels);
        Assert.AreEqual(10, data.ClassCount);
    }

    [TestMethod]
    public void Load_NonNumericCell_ThrowsWithLineAndColumn()
    {
        var e = LoadFails("a,b,label\n1,2,0\n3,x7,1\n");

        Assert.AreEqual(3, e.Line);
        Assert.AreEqual(2, e.Column);
        StringAssert.Contains(e.Message, "line 3, column 2");
        StringAssert.Contains(e.Message, "'x7' (column 'b') is not a finite number");
    }

    [TestMethod]
    public void Load_EmptyOrNonFiniteCell_Throws()
    {
        var empty = LoadFails("1,,0\n", new CsvLoadOptions { HasHeader = false });
        Assert.AreEqual((1, 2), (empty.Line, empty.Column));
        StringAssert.Contains(empty.Message, "is empty");
        Assert.AreEqual(1, LoadFails("a,label\nNaN,0\n").Column);
        Assert.AreEqual(1, LoadFails("a,label\n1e39,0\n").Column);
        Assert.AreEqual(1, LoadFails("a,label\n\"1\"\"\",0\n").Column);
    }

    [TestMethod]
    public void Load_RaggedRow_ThrowsWithLineAndFirstMissingColumn()
    {
        var shorter = LoadFails("a,b,label\n1,2,0\n\n3,1\n");
        Assert.AreEqual((4, 3), (shorter.Line, shorter.Column));
        StringAssert.Contains(shorter.Message, "2 fields but the header has 3");

        var longer = LoadFails("1,2,0\n1,2,3,4\n", new CsvLoadOptions { HasHeader = false });
        Assert.AreEqual((2, 4), (longer.Line, longer.Column));
        StringAssert.Contains(longer.Message, "the first row has 3");
    }

    [TestMethod]
    public void Load_MalformedQuotes_ThrowWithColumn()
    {
        var open = LoadFails("a,b,label\n1,\"2,0\n");
        Assert.AreEqual((2, 2), (open.Line, open.Column));
        StringAssert.Contains(open.Message, "no closing quote");

        var after = LoadFails("a,b,label\n1,\"2\"x,0\n");
        Assert.AreEqual((2, 2), (after.Line, after.Column));
    }

    [TestMethod]
    public void Load_EmptyFileOrHeaderOnly_Throws()
    {
        var empty = LoadFails(string.Empty);
        Assert.AreEqual(1, empty.Line);
        StringAssert.Contains(empty.Message, "no data");
        StringAssert.Contains(LoadFails("a,label\n\n").Message, "header but no data rows");
        StringAssert.Contains(LoadFails("only\n", new CsvLoadOptions { SkipLines = 3 }).Message, "SkipLines is 3");
        StringAssert.Contains(LoadFails("1\n2\n", new CsvLoadOptions { HasHeader = false }).Message, "at least 2 are needed");
    }

    [TestMethod]
    public void Load_ClassIndexEncodingWithText_ThrowsAtTheLabel()
    {
        var e = LoadFails("a,label\n1,0\n2,two\n", new CsvLoadOptions { LabelEncoding = CsvLabelEncoding.ClassIndex });

        Assert.AreEqual((3, 2), (e.Line, e.Column));
        StringAssert.Contains(e.Message, "'two' is not a class index");
    }

    [TestMethod]
    public void Load_InvalidOptions_ThrowNamingTheOption()
    {
        string path = _temp.WriteText("good.csv", "a,label\n1,0\n");

        Assert.AreEqual("SkipLines", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => CsvLoader.Load(path, new CsvLoadOptions { SkipLines = -1 })).ParamName);
        Assert.AreEqual("Separator", Assert.ThrowsExactly<ArgumentException>(() => CsvLoader.Load(path, new CsvLoadOptions { Separator = '"' })).ParamName);
        Assert.AreEqual("LabelColumn", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => CsvLoader.Load(path, new CsvLoadOptions { LabelColumn = -2 })).ParamName);
        Assert.AreEqual("LabelColumnName", Assert.ThrowsExactly<ArgumentException>(() => CsvLoader.Load(path, new CsvLoadOptions { LabelColumnName = "label", HasHeader = false })).ParamName);
        Assert.AreEqual("ClassNames", Assert.ThrowsExactly<ArgumentException>(() => CsvLoader.Load(path, new CsvLoadOptions { ClassNames = ["a", "a"] })).ParamName);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => CsvLoader.Load(path, new CsvLoadOptions { LabelColumn = 2 })).Message, "LabelColumn 2 is outside the 2 columns");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => CsvLoader.Load(path, new CsvLoadOptions { LabelColumnName = "class" })).Message, "'a', 'label'");
        Assert.ThrowsExactly<FileNotFoundException>(() => CsvLoader.Load(_temp.File("missing.csv")));
    }

    [TestMethod]
    public void Load_OneOutlierClassIndex_FailsNamingItsLineInsteadOfMakingMillionsOfClasses()
    {
        // Issue 13 item 11: before, 20000000 made 20,000,001 classes and the run ended in an OutOfMemoryException.
        var e = LoadFails("1,0\n2,1\n3,20000000\n", new CsvLoadOptions { HasHeader = false });

        Assert.AreEqual((3, 2), (e.Line, e.Column));
        StringAssert.Contains(e.Message, "20,000,001 classes");
    }

    [TestMethod]
    [DataRow("-1", DisplayName = "negative")]
    [DataRow("0.5", DisplayName = "fractional")]
    public void Load_NumericLabelThatIsNotAClassIndex_FailsNamingItsLine(string label)
    {
        // Before: the column silently turned categorical (classes -1, 0, 1).
        var e = LoadFails($"1,0\n2,1\n3,{label}\n", new CsvLoadOptions { HasHeader = false });

        Assert.AreEqual((3, 2), (e.Line, e.Column));
        StringAssert.Contains(e.Message, "not a class index");
    }

    [TestMethod]
    [DataRow("")]
    [DataRow(" ")]
    public void Load_EmptyLabelCell_FailsNamingItsLine(string label)
    {
        var e = LoadFails($"1,0\n2,{label}\n3,1\n", new CsvLoadOptions { HasHeader = false });

        Assert.AreEqual((2, 2), (e.Line, e.Column));
        StringAssert.Contains(e.Message, "label cell is empty");
    }

    [TestMethod]
    public void Load_ClassCountOfTheModel_SetsTheClassesAndRejectsALabelOutsideThem()
    {
        string path = _temp.WriteText("three.csv", "f,label\n1,0\n2,1\n");

        Assert.AreEqual(3, CsvLoader.Load(path, new CsvLoadOptions { ClassCount = 3 }).ClassCount);
        var e = LoadFails("1,0\n2,3\n", new CsvLoadOptions { HasHeader = false, ClassCount = 3 });
        Assert.AreEqual(2, e.Line);
        StringAssert.Contains(e.Message, "[0, 3) of the model");
    }

    [TestMethod]
    public void Load_MoreCategoriesThanTheModelsClasses_FailsNamingTheLineOfTheFirstExtraOne()
    {
        var e = LoadFails("1,cat\n2,dog\n3,emu\n", new CsvLoadOptions { HasHeader = false, ClassCount = 2 });

        Assert.AreEqual(3, e.Line);
        StringAssert.Contains(e.Message, "'emu' makes 3 classes, but the model scores 2");
    }
}
