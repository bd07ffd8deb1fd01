using Microsoft.ML.Pruning.Reports;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Reports;

[TestClass]
public sealed class HtmlTests
{
    [TestMethod]
    [DataRow(0.0, "0")]
    [DataRow(97.5, "97.5")]
    [DataRow(5000.0, "5000")]
    [DataRow(250_000.0, "250k")]
    [DataRow(1_500_000.0, "1.5M")]
    [DataRow(-2_000_000.0, "-2M")]
    [DataRow(3e9, "3G")]
    [DataRow(0.30000000000000004, "0.3")]
    public void Compact_FormatsTickValuesShortly(double value, string text) => Assert.AreEqual(text, Html.Compact(value));

    [TestMethod]
    public void Escape_EncodesMarkupAndQuotes() =>
        Assert.AreEqual("&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; co&lt;/a&gt;", Html.Escape("<a href=\"x\">Tom's & co</a>"));

    [TestMethod]
    public void Shorten_CutsLongTextWithAnEllipsis()
    {
        Assert.AreEqual("abcdef", Html.Shorten("abcdef", 6));
        Assert.AreEqual("abcd\u2026", Html.Shorten("abcdefg", 5));
    }

    [TestMethod]
    public void Ratio_IsMissingWhenUndefined()
    {
        Assert.AreEqual("0.250", Html.Ratio(4, 1));
        Assert.AreEqual(Html.Missing, Html.Ratio(0, 1));
        Assert.AreEqual(Html.Missing, Html.Ratio(null, 1));
        Assert.AreEqual(Html.Missing, Html.Ratio(1, double.NaN));
    }

    [TestMethod]
    public void Coordinate_RoundsToTwoDecimals()
    {
        Assert.AreEqual("130.67", Html.Coordinate(76 + 50.0 / 600 * 656));
        Assert.AreEqual("48", Html.Coordinate(48.0000001));
    }
}
