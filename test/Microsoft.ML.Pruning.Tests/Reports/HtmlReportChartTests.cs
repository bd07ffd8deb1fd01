using Microsoft.ML.Pruning.Reports;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Pruning.Tests.Reports.HtmlMarkup;

namespace Microsoft.ML.Pruning.Tests.Reports;

/// <summary>The report's SVG charts: point, bar and curve coordinates for hand-computed data, and how they grow and label.</summary>
[TestClass]
public sealed class HtmlReportChartTests
{
    [TestMethod]
    public void Render_AccuracyChart_PlacesPointsAtHandComputedCoordinates()
    {
        // x: parameters {1000, 700, 450} get ticks of 100 over [400, 1000], drawn over pixels [76, 732].
        // y: accuracy {90, 87, 81} % gets ticks of 2 over [80, 90], drawn over pixels [344, 48].
        var report = new PruningReport
        {
            Baseline = new ModelSnapshot { Parameters = 1000, NonzeroParameters = 1000, Accuracy = 0.90 },
            Steps =
            [
                Step(0, true, 700, 0.87),
                Step(1, false, 450, 0.81),
            ],
        };

        string svg = Svg(HtmlReport.Render(report), "chart-accuracy-vs-parameters");

        AssertPoint(svg, "baseline", 732, 48, "point baseline");
        AssertPoint(svg, "0", 404, 136.8, "point accepted");       // 76 + 300/600 * 656; 344 - 7/10 * 296
        AssertPoint(svg, "1", 130.67, 314.4, "point rejected");    // 76 + 50/600 * 656;  344 - 1/10 * 296
        Assert.AreEqual("732,48 404,136.8", Attribute(Elements(svg, "polyline", "trajectory").Single(), "points"), "The trajectory joins the baseline and the accepted steps only.");
        CollectionAssert.AreEqual(new[] { "400", "500", "600", "700", "800", "900", "1000" }, TickLabels(svg, "x-axis"));
        CollectionAssert.AreEqual(new[] { "80", "82", "84", "86", "88", "90" }, TickLabels(svg, "y-axis"));
        StringAssert.Contains(svg, ">remaining parameters</text>");
    }

    [TestMethod]
    public void Render_AccuracyChart_DrawsTheAllowedDropFloor()
    {
        // Accuracy {90, 89.5, 89, 86, 88.5} % and the floor at 88 % get ticks of 1 over [86, 90], pixels [344, 48].
        string svg = Svg(HtmlReport.Render(SampleReports.FourSteps()), "chart-accuracy-vs-parameters");

        var floor = Elements(svg, "line", "floor").Single(l => Attribute(l, "x1") == "76");
        Assert.AreEqual(344 - 2.0 / 4 * 296, Number(floor, "y1"), 1e-9);
        Assert.AreEqual(3, Elements(svg, "circle", "point accepted").Count);
        Assert.AreEqual(1, Elements(svg, "circle", "point rejected").Count);
        Assert.AreEqual(1, Elements(svg, "circle", "point baseline").Count);
    }

    [TestMethod]
    public void Render_MaskingRun_PlotsNonzerosAgainstAccuracy()
    {
        var report = new PruningReport
        {
            Baseline = new ModelSnapshot { Parameters = 1000, NonzeroParameters = 1000, Accuracy = 0.9 },
            Steps = [Step(0, true, 1000, 0.89, nonzeros: 500)],
        };

        string svg = Svg(HtmlReport.Render(report), "chart-accuracy-vs-parameters");

        StringAssert.Contains(svg, ">remaining nonzero parameters</text>");
        Assert.AreEqual(76, Number(Point(svg, "0"), "cx"), 1e-9, "500 nonzeros sit at the left end of [500, 1000].");
    }

    [TestMethod]
    public void Render_LayerWidthChart_DrawsBarsToHandComputedLengths()
    {
        // Units {32, 24, 128, 64} get ticks of 50 over [0, 150]; names of 5 characters give a plot over pixels [60, 712].
        var report = new PruningReport
        {
            Baseline = new ModelSnapshot { Layers = [new LayerWidth("conv1", "Conv2d", 32, 1, 1, 1), new LayerWidth("fc123", "Dense", 128, 1, 1, 1)] },
            Final = new ModelSnapshot { Layers = [new LayerWidth("conv1", "Conv2d", 24, 1, 1, 1), new LayerWidth("fc123", "Dense", 64, 1, 1, 1)] },
        };

        string svg = Svg(HtmlReport.Render(report), "chart-layer-widths");

        var bars = Elements(svg, "rect", "bar").Where(b => b.Contains("data-units", StringComparison.Ordinal)).ToList();
        CollectionAssert.AreEqual(new[] { "32", "24", "128", "64" }, bars.Select(b => Attribute(b, "data-units")).ToArray());
        CollectionAssert.AreEqual(new[] { 139.09, 104.32, 556.37, 278.19 }, bars.Select(b => Number(b, "width")).ToArray());
        Assert.IsTrue(bars.All(b => Number(b, "x") == 60));
        CollectionAssert.AreEqual(new[] { 47.0, 60, 77, 90 }, bars.Select(b => Number(b, "y")).ToArray());
    }

    [TestMethod]
    public void Render_LayerRemovedOrAdded_LabelsTheMissingBar()
    {
        var report = new PruningReport
        {
            Baseline = new ModelSnapshot { Layers = [new LayerWidth("old", "Dense", 8, 1, 1, 1)] },
            Final = new ModelSnapshot { Layers = [new LayerWidth("aux", "Dense", 4, 1, 1, 1)] },
        };

        string html = HtmlReport.Render(report);

        var rows = Cells(Table(html, "layers"));
        CollectionAssert.AreEqual(new[] { "old", "Dense", "8", "removed" }, rows[1].Take(4).ToArray());
        CollectionAssert.AreEqual(new[] { "aux", "Dense", "added", "4" }, rows[2].Take(4).ToArray());
        StringAssert.Contains(Svg(html, "chart-layer-widths"), ">removed</text>");
    }

    [TestMethod]
    public void Render_ManyLayersWithLongNames_GrowsTheChartAndShortensTheLabels()
    {
        string longName = "encoder.block." + new string('x', 200);
        var layers = Enumerable.Range(0, 40).Select(i => new LayerWidth(i == 7 ? longName : $"layer{i}", "Dense", 10 + i, 1, 1, 1)).ToList();
        var report = new PruningReport { Baseline = new ModelSnapshot { Layers = layers }, Final = new ModelSnapshot { Layers = layers } };

        string html = HtmlReport.Render(report);

        string svg = Svg(html, "chart-layer-widths");
        Assert.AreEqual(80, Elements(svg, "rect", "bar").Count(b => b.Contains("data-units", StringComparison.Ordinal)));
        Assert.AreEqual(44 + 40 * 30 + 52, Number(svg, "height"));
        StringAssert.Contains(svg, ">encoder.block.xxxxxxxxxxx\u2026</text>");
        StringAssert.Contains(svg, $"<title>{longName} (Dense): 17 \u2192 17</title>");
        Assert.AreEqual(longName, Cells(Table(html, "layers"))[8][0]);
    }

    [TestMethod]
    public void Render_SensitivityChart_DrawsOneCurvePerLayerAtHandComputedCoordinates()
    {
        // x: rate {0, 50, 100} % gets ticks of 20 over [0, 100], pixels [76, 540]; y: drop {0, 2, 10} points gets ticks of 2 over [0, 10], pixels [344, 20].
        var report = new PruningReport
        {
            Sensitivity =
            [
                new SensitivityPoint("b", 1.0, 0.8, 0.10),
                new SensitivityPoint("a", 0.5, 0.88, 0.02),
                new SensitivityPoint("b", 0.5, 0.9, 0.0),
            ],
        };

        string svg = Svg(HtmlReport.Render(report), "chart-sensitivity");

        var curves = Elements(svg, "polyline", "curve").Select(c => Attribute(c, "points")).ToList();
        CollectionAssert.AreEqual(new[] { "308,344 540,20", "308,279.2" }, curves, "Curves follow the layers' first appearance, points sorted by rate.");
        Assert.AreEqual(3, Elements(svg, "circle", "point").Count);
        StringAssert.Contains(svg, "<title>a</title>");
    }

    [TestMethod]
    public void Render_NoSensitivity_ReplacesTheChartWithANote()
    {
        var report = SampleReports.FourSteps();
        report.Sensitivity = [];

        string html = HtmlReport.Render(report);

        Assert.IsFalse(html.Contains("id=\"chart-sensitivity\"", StringComparison.Ordinal));
        StringAssert.Contains(html, "<p class=\"note\" id=\"no-sensitivity\">");
    }

    private static PruningStepReport Step(int index, bool accepted, long parameters, double accuracy, long? nonzeros = null) =>
        SampleReports.Step(index, 0.3, 1, accepted, new ModelSnapshot { Parameters = parameters, NonzeroParameters = nonzeros ?? parameters, Accuracy = accuracy });

    private static void AssertPoint(string svg, string step, double cx, double cy, string cssClass)
    {
        string point = Point(svg, step);
        Assert.AreEqual(cx, Number(point, "cx"), 1e-9, $"cx of {step}");
        Assert.AreEqual(cy, Number(point, "cy"), 1e-9, $"cy of {step}");
        Assert.AreEqual(cssClass, Attribute(point, "class"));
    }

    private static string[] TickLabels(string svg, string axis)
    {
        var group = System.Text.RegularExpressions.Regex.Match(svg, $"<g class=\"axis {axis}\">(.*?)</g>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        return System.Text.RegularExpressions.Regex.Matches(group, "<text class=\"tick-label\"[^>]*>([^<]*)</text>").Select(m => m.Groups[1].Value).ToArray();
    }
}
