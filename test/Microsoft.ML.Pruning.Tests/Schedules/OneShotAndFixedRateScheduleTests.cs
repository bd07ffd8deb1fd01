using Microsoft.ML.Pruning.Schedules;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Schedules;

[TestClass]
public sealed class OneShotAndFixedRateScheduleTests
{
    [TestMethod]
    public void OneShot_FirstStep_ReturnsTheRateThenStops()
    {
        var schedule = new OneShotSchedule(0.6);
        Assert.AreEqual(0.6, schedule.NextRate(ScheduleContexts.Accepted()));
        Assert.IsNull(schedule.NextRate(ScheduleContexts.Accepted(0.6)));
        Assert.IsNull(schedule.NextRate(ScheduleContexts.EndingInRejection(0.6)));
        Assert.AreEqual("one-shot 0.6", schedule.Name);
    }

    [TestMethod]
    public void FixedRate_AcceptedSteps_KeepTheRateUntilTheStepLimit()
    {
        var schedule = new FixedRateSchedule(0.2, maximumSteps: 3);
        Assert.AreEqual(0.2, schedule.NextRate(ScheduleContexts.Accepted()));
        Assert.AreEqual(0.2, schedule.NextRate(ScheduleContexts.Accepted(0.2)));
        Assert.AreEqual(0.2, schedule.NextRate(ScheduleContexts.Accepted(0.2, 0.2)));
        Assert.IsNull(schedule.NextRate(ScheduleContexts.Accepted(0.2, 0.2, 0.2)), "three steps taken");
    }

    [TestMethod]
    public void FixedRate_RejectedStep_Stops()
    {
        var schedule = new FixedRateSchedule();
        Assert.AreEqual(0.2, schedule.Rate, "seeds/002 Table I prunes at 0.2");
        Assert.AreEqual(100, schedule.MaximumSteps);
        Assert.IsNull(schedule.NextRate(ScheduleContexts.EndingInRejection(0.2, 0.2)));
    }

    [TestMethod]
    public void Constructors_OutOfRangeArguments_ThrowNamingTheParameter()
    {
        foreach (double rate in new[] { 0, 1, -0.1, 1.5, double.NaN })
        {
            Assert.AreEqual("rate", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new OneShotSchedule(rate)).ParamName);
            Assert.AreEqual("rate", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new FixedRateSchedule(rate)).ParamName);
        }

        var e = Assert.ThrowsException<ArgumentOutOfRangeException>(() => new FixedRateSchedule(0.2, 0));
        Assert.AreEqual("maximumSteps", e.ParamName);
        StringAssert.Contains(e.Message, "at least 1");
    }
}
