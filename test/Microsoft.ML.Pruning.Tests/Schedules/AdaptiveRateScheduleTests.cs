using Microsoft.ML.Pruning.Schedules;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Schedules;

[TestClass]
public sealed class AdaptiveRateScheduleTests
{
    // A probe curve: no drop up to rate 0.2, then 0.1 per 0.05 of rate beyond it (0.25 -> 0.1 drop).
    private static double Curve(double rate) => rate <= 0.2 + 1e-9 ? 0 : (rate - 0.2) * 2;

    [TestMethod]
    public void NextRate_FirstStep_FollowsAlgorithm1ByHand()
    {
        // PR = 0.1; PR += 0.05 -> 0.15 (drop 0, go on); 0.2 (drop 0, go on); 0.25 (drop 0.1 > 0.05, break); PR -= 0.05 -> 0.2.
        var probes = new List<double>();
        double? rate = new AdaptiveRateSchedule().NextRate(ScheduleContexts.Probing(0.05, [], Curve, probes));
        CollectionAssert.AreEqual(new[] { 0.15, 0.2, 0.25 }, probes);
        Assert.AreEqual(0.2, rate);
    }

    [TestMethod]
    public void NextRate_LaterStep_RestartsFromTheInitialRateByDefault()
    {
        // Table II's rates fall between steps (0.29, then 0.26), so each step searches again from PR = 0.1:
        // after a step at 0.3, the probes are 0.15, 0.2, 0.25 (drop 0.1 > 0.05) and the rate is 0.2, below the last one.
        var probes = new List<double>();
        double? rate = new AdaptiveRateSchedule().NextRate(ScheduleContexts.Probing(0.05, [new PruningScheduleStep(0, 0.3, 0.9, true)], Curve, probes));
        CollectionAssert.AreEqual(new[] { 0.15, 0.2, 0.25 }, probes);
        Assert.AreEqual(0.2, rate);
    }

    [TestMethod]
    public void NextRate_LaterStep_ContinuingStartsFromThePreviousRate()
    {
        // Previous rate 0.3 and a generous budget of 0.25: 0.35 (drop 0.3 > 0.25) breaks at once, so PR stays 0.3,
        // unprobed, as in the paper.
        var probes = new List<double>();
        var continuing = new AdaptiveRateSchedule(restartEachStep: false);
        double? rate = continuing.NextRate(ScheduleContexts.Probing(0.25, [new PruningScheduleStep(0, 0.3, 0.9, true)], Curve, probes));
        CollectionAssert.AreEqual(new[] { 0.35 }, probes);
        Assert.AreEqual(0.3, rate);

        // A budget of 0.3 admits a drop of exactly 0.3 ("drop > threshold" breaks), then 0.4 (drop 0.4) breaks.
        probes.Clear();
        rate = continuing.NextRate(ScheduleContexts.Probing(0.3, [new PruningScheduleStep(0, 0.3, 0.9, true)], Curve, probes));
        CollectionAssert.AreEqual(new[] { 0.35, 0.4 }, probes);
        Assert.AreEqual(0.35, rate);
    }

    [TestMethod]
    public void NextRate_NoDropAnywhere_StopsAtTheMaximumRate()
    {
        var probes = new List<double>();
        var schedule = new AdaptiveRateSchedule(initialRate: 0.1, step: 0.08, maximumRate: 0.3, restartEachStep: false);
        double? rate = schedule.NextRate(ScheduleContexts.Probing(0.01, [], _ => 0, probes));
        CollectionAssert.AreEqual(new[] { 0.18, 0.26, 0.3 }, probes, "the last increment is cut to the maximum");
        Assert.AreEqual(0.3, rate);

        probes.Clear();
        Assert.AreEqual(0.3, schedule.NextRate(ScheduleContexts.Probing(0.01, [new PruningScheduleStep(0, 0.3, 0.9, true)], _ => 0, probes)));
        Assert.AreEqual(0, probes.Count, "already at the maximum: nothing to search");
    }

    [TestMethod]
    public void NextRate_RejectedStep_StopsWithoutProbing()
    {
        Assert.IsNull(new AdaptiveRateSchedule().NextRate(ScheduleContexts.EndingInRejection(0.2)));
    }

    [TestMethod]
    public void Constructor_OutOfRangeArguments_ThrowNamingTheParameter()
    {
        Assert.AreEqual("initialRate", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new AdaptiveRateSchedule(0)).ParamName);
        Assert.AreEqual("step", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new AdaptiveRateSchedule(0.1, 1)).ParamName);
        Assert.AreEqual("maximumRate", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new AdaptiveRateSchedule(0.5, 0.05, 0.4)).ParamName);
        Assert.AreEqual("maximumRate", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new AdaptiveRateSchedule(0.5, 0.05, 1)).ParamName);
    }
}
