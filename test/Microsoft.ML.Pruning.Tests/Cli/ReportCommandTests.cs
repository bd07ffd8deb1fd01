using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Cli;

/// <summary><c>mlprune report</c>: renders a saved report as a table and as HTML.</summary>
[TestClass]
public sealed class ReportCommandTests
{
    [TestMethod]
    public void Report_SavedReport_PrintsTheTableAndWritesHtml()
    {
        using var directory = new TempDirectory();
        string json = directory.File("run.json"), html = directory.File("run.html");
        var after = new ModelSnapshot { Parameters = 400, NonzeroParameters = 400, MultiplyAdds = 390, ModelBytes = 1700, Accuracy = 0.88 };
        new PruningReport
        {
            Method = "APoZ",
            Schedule = "one-shot 0.6",
            AllowedDrop = 0.02,
            Baseline = new ModelSnapshot { Parameters = 1000, NonzeroParameters = 1000, MultiplyAdds = 990, ModelBytes = 4100, Accuracy = 0.9 },
            Final = after,
            Steps = [new PruningStepReport { Step = 0, Phase = "prune", Rate = 0.6, Removed = 30, Accepted = true, Model = after }],
        }.Save(json);

        var run = CliRun.Of("report", json, "--html", html);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual(string.Empty, run.Error);
        StringAssert.Contains(run.Output, "Pruning report: APoZ, schedule one-shot 0.6, allowed drop 2 points");
        Assert.IsTrue(run.Output.Split('\n').Any(l => l.StartsWith("parameters", StringComparison.Ordinal) && l.Contains("1,000") && l.Contains("400") && l.TrimEnd().EndsWith("0.400", StringComparison.Ordinal)), run.Output);
        StringAssert.Contains(run.Output, "HTML report: " + html);
        string page = File.ReadAllText(html);
        StringAssert.Contains(page, "<svg");
        StringAssert.Contains(page, "run");
    }
}
