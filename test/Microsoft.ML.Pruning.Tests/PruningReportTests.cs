using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Schedules;
using Microsoft.ML.Pruning.Tests.Loop;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests;

[TestClass]
public sealed class PruningReportTests
{
    private static PruningReport ScriptedRunReport()
    {
        // 21 -> 16 -> 8 -> 3 pruned at 0.2 per step while at least 300 weights remain: 488 -> 390 -> 312 (kept) -> 250 (rolled back).
        var network = new NetworkBuilder(21).Dense(16).Relu().Dense(8).Relu().Dense(3).Build(seed: 4);
        var options = ScriptedPruning.Options(new MaskingMethod(), new FixedRateSchedule(0.2));
        options.MeasureLatency = true;
        return ScriptedPruning.Run(network, options, ScriptedPruning.Hooks(n => ScriptedPruning.NonzeroWeights(n) >= 300 ? 0.9 : 0.8)).Report;
    }

    [TestMethod]
    public void Run_Report_HoldsBaselineFinalAndSteps()
    {
        var report = ScriptedRunReport();
        Assert.AreEqual(488 + 27, report.Baseline.NonzeroParameters);
        Assert.AreEqual(312 + 27, report.Final.NonzeroParameters);
        Assert.AreEqual(515, report.Final.Parameters);
        Assert.AreEqual(3, report.Steps.Count);
        Assert.AreEqual(3, report.Final.Layers.Count);
        Assert.AreEqual(0.005, report.AllowedDrop);
        Assert.AreEqual(0.9, report.Baseline.Accuracy!.Value, 1e-6);
        Assert.IsTrue(report.Baseline.LatencyBatch1Milliseconds > 0 && report.Final.LatencyBatch256Milliseconds > 0);
    }

    [TestMethod]
    public void ToJson_FromJson_RoundTripsEveryField()
    {
        var report = ScriptedRunReport();
        report.Sensitivity = [new SensitivityPoint("dense1", 0.5, 0.85, 0.05)];
        string json = report.ToJson();
        var read = PruningReport.FromJson(json);

        Assert.AreEqual(json, read.ToJson());
        Assert.AreEqual(report.Steps.Count, read.Steps.Count);
        Assert.AreEqual(report.Steps[2].Accepted, read.Steps[2].Accepted);
        Assert.AreEqual(report.Final.Layers[1], read.Final.Layers[1]);
        Assert.AreEqual(report.Baseline.LatencyBatch1Milliseconds, read.Baseline.LatencyBatch1Milliseconds);
        Assert.AreEqual(report.Sensitivity[0], read.Sensitivity[0]);
    }

    [TestMethod]
    public void ToTable_ShowsTheFiguresOfTheRun()
    {
        string table = ScriptedRunReport().ToTable();
        StringAssert.Contains(table, "Pruning report: scripted masking, schedule fixed rate 0.2, allowed drop 0.5 points");
        StringAssert.Contains(table, "nonzero weights                    515             339    0.658");
        StringAssert.Contains(table, "accuracy %                       90.00           90.00    1.000");
        StringAssert.Contains(table, "latency batch 1 ms");
        StringAssert.Contains(table, "dense1");
        StringAssert.Contains(table, "    2 prune       0.200       62");
        StringAssert.Contains(table, "rolled back");
    }

    [TestMethod]
    [DataRow("{\"steps\": null}", "steps", DisplayName = "null steps")]
    [DataRow("{\"baseline\": null}", "baseline", DisplayName = "null baseline")]
    [DataRow("{\"method\": null}", "method", DisplayName = "null method")]
    [DataRow("{\"steps\": [null]}", "steps[0]", DisplayName = "null step")]
    [DataRow("{\"steps\": [{\"model\": null}]}", "model", DisplayName = "null step model")]
    [DataRow("{\"final\": {\"layers\": [null]}}", "final.layers[0]", DisplayName = "null layer")]
    [DataRow("{\"final\": {\"layers\": [{\"layer\": null, \"kind\": \"Dense\"}]}}", "layer", DisplayName = "null layer name")]
    [DataRow("{\"sensitivity\": [null]}", "sensitivity[0]", DisplayName = "null sensitivity point")]
    public void FromJson_NullPart_ThrowsFormatExceptionNamingIt(string json, string part)
    {
        // Issue 13 item 17: before, "steps": null loaded and ToTable threw a NullReferenceException.
        var e = Assert.ThrowsException<FormatException>(() => PruningReport.FromJson(json));

        StringAssert.Contains(e.GetBaseException().Message, part);
    }

    [TestMethod]
    public void Load_EndlessFile_StopsAtTheLimitNamingTheFile()
    {
        var e = Assert.ThrowsException<FormatException>(() => PruningReport.Load("/dev/zero"));

        StringAssert.Contains(e.Message, "/dev/zero");
        StringAssert.Contains(e.Message, "larger than 64 MiB");
    }
}
