using System.Globalization;
using Microsoft.ML.Pruning.Reports;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Reports.HtmlMarkup;

namespace Microsoft.ML.Pruning.Tests.Reports;

/// <summary>The rendered page as a whole: escaping, self-containment, culture independence, tables, edge cases and saving.</summary>
[TestClass]
public sealed class HtmlReportTests
{
    [TestMethod]
    public void Render_HostileLayerAndTitle_EscapesEveryText()
    {
        var report = SampleReports.FourSteps();
        report.Method = "<b>m</b>";
        report.Final.Layers = [.. report.Final.Layers, new LayerWidth(SampleReports.HostileLayer, "Dense", 3, 3, 3, 3)];
        report.Sensitivity = [.. report.Sensitivity, new SensitivityPoint(SampleReports.HostileLayer, 0.5, 0.8, 0.1)];

        string html = HtmlReport.Render(report, "<img src=x onerror=alert(1)>");

        Assert.IsFalse(html.Contains("<script", StringComparison.OrdinalIgnoreCase), "A layer name reached the page unescaped.");
        Assert.IsFalse(html.Contains("<img", StringComparison.OrdinalIgnoreCase), "The title reached the page unescaped.");
        Assert.IsFalse(html.Contains("<b>m</b>", StringComparison.Ordinal), "The method reached the page unescaped.");
        StringAssert.Contains(html, "fc&lt;script&gt;document.title=&#39;injected&#39;&lt;/script&gt;&amp;&quot;more&quot;");
        StringAssert.Contains(html, "<title>&lt;img src=x onerror=alert(1)&gt;</title>");
        Assert.AreEqual(SampleReports.HostileLayer, Cells(Table(html, "layers"))[^1][0]);
    }

    [TestMethod]
    public void Render_Page_IsSelfContainedWithoutScripts()
    {
        string html = HtmlReport.Render(SampleReports.FourSteps());

        foreach (string forbidden in new[] { "<script", "<link", "src=", "href=", "http:", "https:", "@import", "url(" })
        {
            Assert.IsFalse(html.Contains(forbidden, StringComparison.OrdinalIgnoreCase), $"The page holds {forbidden}.");
        }

        StringAssert.StartsWith(html, "<!DOCTYPE html>");
        StringAssert.Contains(html, "<style>");
    }

    [TestMethod]
    public void Render_UnderCommaDecimalCulture_GivesTheSamePageAsInvariant()
    {
        var report = SampleReports.FourSteps();
        string invariant = HtmlReport.Render(report);
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.NumberGroupSeparator = ".";
        culture.NumberFormat.NegativeSign = "~";
        var saved = CultureInfo.CurrentCulture;
        string localized;
        try
        {
            CultureInfo.CurrentCulture = culture;
            Assert.AreEqual("0,5", 0.5.ToString(CultureInfo.CurrentCulture), "The test culture is not in effect.");
            localized = HtmlReport.Render(report);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        Assert.AreEqual(invariant, localized);
    }

    [TestMethod]
    public void Render_SummaryTable_ShowsBeforeAfterAndRatio()
    {
        var rows = Cells(Table(HtmlReport.Render(SampleReports.FourSteps()), "summary"));

        CollectionAssert.AreEqual(new[] { "measure", "before", "after", "after / before" }, rows[0].ToArray());
        CollectionAssert.AreEqual(new[] { "parameters", "100,000", "50,000", "0.500" }, rows[1].ToArray());
        CollectionAssert.AreEqual(new[] { "nonzero parameters", "100,000", "50,000", "0.500" }, rows[2].ToArray());
        CollectionAssert.AreEqual(new[] { "multiply-adds per sample", "2,000,000", "1,000,000", "0.500" }, rows[3].ToArray());
        CollectionAssert.AreEqual(new[] { "model bytes (ONNX)", "401,234", "201,234", "0.502" }, rows[4].ToArray());
        CollectionAssert.AreEqual(new[] { "latency, batch of 1 (ms)", "0.500", "0.300", "0.600" }, rows[5].ToArray());
        CollectionAssert.AreEqual(new[] { "latency, batch of 256 (ms)", "20.000", "11.000", "0.550" }, rows[6].ToArray());
        CollectionAssert.AreEqual(new[] { "accuracy (%)", "90.00", "88.50", "0.983" }, rows[7].ToArray());
        CollectionAssert.AreEqual(new[] { "loss", "0.3000", "0.3500", "1.167" }, rows[8].ToArray());
    }

    [TestMethod]
    public void Render_MissingAccuracyAndLatency_ShowsDashesAndSkipsThosePoints()
    {
        var report = SampleReports.FourSteps();
        report.Final.LatencyBatch1Milliseconds = null;
        report.Baseline.LatencyBatch256Milliseconds = double.NaN;
        report.Steps[1].Model.Accuracy = null;

        string html = HtmlReport.Render(report);

        var rows = Cells(Table(html, "summary"));
        CollectionAssert.AreEqual(new[] { "latency, batch of 1 (ms)", "0.500", "\u2013", "\u2013" }, rows[5].ToArray());
        CollectionAssert.AreEqual(new[] { "latency, batch of 256 (ms)", "\u2013", "11.000", "\u2013" }, rows[6].ToArray());
        Assert.AreEqual("\u2013", Cells(Table(html, "steps"))[2][7]);
        Assert.AreEqual(4, Elements(Svg(html, "chart-accuracy-vs-parameters"), "circle", "point").Count);
        StringAssert.Contains(html, "1 step has no accuracy and is not plotted.");
    }

    [TestMethod]
    public void Render_StepsTable_ListsEveryStepWithItsOutcome()
    {
        var rows = Cells(Table(HtmlReport.Render(SampleReports.FourSteps()), "steps"));

        Assert.AreEqual(5, rows.Count);
        CollectionAssert.AreEqual(new[] { "0", "prune", "0.250", "56", "75,000", "75,000", "1,500,000", "89.50", "0.3100", "accepted" }, rows[1].ToArray());
        CollectionAssert.AreEqual(new[] { "2", "prune", "0.250", "33", "42,000", "42,000", "850,000", "86.00", "0.4500", "rolled back" }, rows[3].ToArray());
    }

    [TestMethod]
    public void Render_KeyFigures_HeadlineNonzerosForAMaskingRunAndParametersOtherwise()
    {
        var masked = new PruningReport
        {
            Baseline = new ModelSnapshot { Parameters = 1000, NonzeroParameters = 1000 },
            Final = new ModelSnapshot { Parameters = 1000, NonzeroParameters = 250 },
        };

        StringAssert.Contains(HtmlReport.Render(masked), "<span class=\"value\">25.0%</span><span class=\"label\">nonzero parameters kept (250 of 1,000)</span>");
        StringAssert.Contains(HtmlReport.Render(SampleReports.FourSteps()), "<span class=\"value\">50.0%</span><span class=\"label\">parameters kept (50,000 of 100,000)</span>");
    }

    [TestMethod]
    [DataRow("empty report")]
    [DataRow("no steps")]
    [DataRow("one step")]
    [DataRow("all values equal")]
    [DataRow("no accuracy anywhere")]
    [DataRow("one sensitivity point")]
    public void Render_EdgeCase_GivesFiniteCoordinates(string edgeCase)
    {
        var report = EdgeCase(edgeCase);

        string html = HtmlReport.Render(report);

        foreach (string bad in new[] { "NaN", "Infinity", "\u221E" })
        {
            Assert.IsFalse(html.Contains(bad, StringComparison.Ordinal), $"{edgeCase}: the page holds {bad}.");
        }

        string svg = Svg(html, "chart-accuracy-vs-parameters");
        int plotted = (Html.IsFinite(report.Baseline.Accuracy) ? 1 : 0) + report.Steps.Count(s => Html.IsFinite(s.Model.Accuracy));
        Assert.AreEqual(plotted, Elements(svg, "circle", "point").Count, edgeCase);
        foreach (string point in Elements(svg, "circle", "point"))
        {
            Assert.IsTrue(Number(point, "cx") is >= 76 and <= 732 && Number(point, "cy") is >= 48 and <= 344, $"{edgeCase}: {point} lies outside the plot.");
        }
    }

    [TestMethod]
    public void Render_NoSteps_SaysSoInsteadOfAnEmptyTable()
    {
        var report = SampleReports.FourSteps();
        report.Steps = [];

        string html = HtmlReport.Render(report);

        StringAssert.Contains(html, "id=\"no-steps\"");
        Assert.IsFalse(html.Contains("<table id=\"steps\"", StringComparison.Ordinal));
    }

    [TestMethod]
    public void Render_IncompleteReport_ThrowsNamingTheMissingPart()
    {
        Assert.ThrowsException<ArgumentNullException>(() => HtmlReport.Render(null!));
        var noBaseline = new PruningReport { Baseline = null! };
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => HtmlReport.Render(noBaseline)).Message, "Baseline");
        var nullStep = new PruningReport { Steps = [null!] };
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => HtmlReport.Render(nullStep)).Message, "Steps[0]");
        var nullLayers = new PruningReport { Final = new ModelSnapshot { Layers = null! } };
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => HtmlReport.Render(nullLayers)).Message, "Final.Layers");
    }

    [TestMethod]
    public void Save_WritesTheRenderedPageOverAnOldFile()
    {
        using var folder = new TempDirectory();
        string path = folder.WriteText("report.html", "old content that is longer than nothing");
        var report = SampleReports.FourSteps();

        HtmlReport.Save(report, path, "run 7");

        Assert.AreEqual(HtmlReport.Render(report, "run 7"), File.ReadAllText(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(folder.Path), "Save left a temporary file behind.");
        Assert.AreNotEqual(0xEF, File.ReadAllBytes(path)[0], "The page starts with a byte-order mark.");
        Assert.ThrowsException<ArgumentException>(() => HtmlReport.Save(report, ""));
    }

    private static PruningReport EdgeCase(string name)
    {
        var layers = new[] { new LayerWidth("a", "Dense", 4, 20, 20, 20) };
        ModelSnapshot Same() => new() { Parameters = 20, NonzeroParameters = 20, Accuracy = 0.5, Layers = layers };
        return name switch
        {
            "empty report" => new PruningReport(),
            "no steps" => new PruningReport { Baseline = Same(), Final = Same() },
            "one step" => new PruningReport { Baseline = Same(), Final = Same(), Steps = [SampleReports.Step(0, 0.5, 2, true, new ModelSnapshot { Parameters = 10, Accuracy = 0.4 })] },
            "all values equal" => new PruningReport { Baseline = Same(), Final = Same(), AllowedDrop = 0, Steps = [SampleReports.Step(0, 0, 0, true, Same()), SampleReports.Step(1, 0, 0, false, Same())] },
            "no accuracy anywhere" => new PruningReport { Baseline = new ModelSnapshot { Parameters = 20 }, AllowedDrop = 0.01, Steps = [SampleReports.Step(0, 0.5, 2, true, new ModelSnapshot { Parameters = 10 })] },
            "one sensitivity point" => new PruningReport { Baseline = Same(), Sensitivity = [new SensitivityPoint("a", 0.5, 0.5, 0)] },
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown edge case."),
        };
    }
}
