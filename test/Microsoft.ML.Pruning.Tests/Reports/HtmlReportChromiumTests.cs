using Microsoft.ML.Pruning.Reports;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Reports.HtmlMarkup;

namespace Microsoft.ML.Pruning.Tests.Reports;

/// <summary>Loads saved reports in headless Chromium: the DOM the browser builds, and the pixels it paints.</summary>
[TestClass]
public sealed class HtmlReportChromiumTests
{
    [TestMethod]
    public void Chromium_LoadsTheSavedReport_DomHoldsTheThreeChartsAndTheTables()
    {
        using var folder = new TempDirectory();
        string page = folder.File("report.html");
        HtmlReport.Save(SampleReports.FourSteps(), page);

        string dom = HeadlessChromium.DumpDom(page);

        string accuracy = Svg(dom, "chart-accuracy-vs-parameters");
        Assert.AreEqual(5, Elements(accuracy, "circle", "point").Count, "baseline + 4 steps");
        Assert.AreEqual(3, Elements(accuracy, "circle", "point accepted").Count);
        Assert.AreEqual("point rejected", Attribute(Point(accuracy, "2"), "class"));
        StringAssert.Contains(accuracy, "<title id=\"chart-accuracy-vs-parameters-title\">Accuracy versus remaining parameters</title>");

        string widths = Svg(dom, "chart-layer-widths");
        var bars = Elements(widths, "rect", "bar").Where(b => b.Contains("data-units", StringComparison.Ordinal)).Select(b => Attribute(b, "data-units"));
        CollectionAssert.AreEqual(new[] { "32", "24", "64", "40", "128", "64" }, bars.ToArray());

        string sensitivity = Svg(dom, "chart-sensitivity");
        Assert.AreEqual(3, Elements(sensitivity, "polyline", "curve").Count);
        Assert.AreEqual(9, Elements(sensitivity, "circle", "point").Count);

        var summary = Cells(Table(dom, "summary"));
        CollectionAssert.AreEqual(new[] { "parameters", "100,000", "50,000", "0.500" }, summary[1].ToArray());
        CollectionAssert.AreEqual(new[] { "accuracy (%)", "90.00", "88.50", "0.983" }, summary[7].ToArray());
        var steps = Cells(Table(dom, "steps"));
        Assert.AreEqual(5, steps.Count);
        CollectionAssert.AreEqual(new[] { "accepted", "accepted", "rolled back", "accepted" }, steps.Skip(1).Select(row => row[^1]).ToArray());
    }

    [TestMethod]
    public void Chromium_LoadsAReportWithAHostileLayerName_BuildsNoScriptElement()
    {
        using var folder = new TempDirectory();
        string page = folder.File("hostile.html");
        var report = SampleReports.FourSteps();
        report.Baseline.Layers = [.. report.Baseline.Layers, new LayerWidth(SampleReports.HostileLayer, "Dense", 3, 3, 3, 3)];
        HtmlReport.Save(report, page, SampleReports.HostileLayer);

        string dom = HeadlessChromium.DumpDom(page);

        Assert.IsFalse(dom.Contains("<script", StringComparison.OrdinalIgnoreCase), "The browser built a script element from a layer name.");
        Assert.IsFalse(dom.Contains("<title>injected</title>", StringComparison.Ordinal), "A script from a layer name ran.");
        Assert.AreEqual(SampleReports.HostileLayer, Cells(Table(dom, "layers"))[^1][0]);
        Assert.AreEqual(4, Elements(Svg(dom, "chart-layer-widths"), "g", "layer-row").Count);
    }

    [TestMethod]
    public void Chromium_ScreenshotsTheReport_PaintsBarsPointsAndCurves()
    {
        using var folder = new TempDirectory();
        string page = folder.File("report.html");
        string png = folder.File("report.png");
        HtmlReport.Save(SampleReports.FourSteps(), page);

        HeadlessChromium.Screenshot(page, png, 900, 2600);

        var image = PngImage.Read(png);
        Assert.AreEqual(900, image.Width);
        Assert.AreEqual(2600, image.Height);
        // The "after" bars and the accepted points are filled with the accent #2563eb, the "before" bars with #cbd5e1:
        // six bars of 11 pixels by up to 500 give thousands of pixels of each, which only painted SVG can give.
        int accent = image.Count(0x25, 0x63, 0xeb);
        int before = image.Count(0xcb, 0xd5, 0xe1);
        Assert.IsTrue(accent > 3000, $"{accent} pixels have the accent colour.");
        Assert.IsTrue(before > 3000, $"{before} pixels have the before-bar colour.");
        Assert.IsTrue(image.DistinctColors() > 200, $"The screenshot has only {image.DistinctColors()} colours.");
    }
}
