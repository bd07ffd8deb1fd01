using Microsoft.ML.Pruning.Schedules;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Schedules;

[TestClass]
public sealed class PolynomialScheduleTests
{
    [TestMethod]
    public void NextRate_CubicToNinetyPercentInThreeSteps_MatchesHandComputedRates()
    {
        // s_t = 0.9 (1 - (1 - t/3)^3): s_1 = 0.9 * 19/27 = 19/30, s_2 = 0.9 * 26/27 = 13/15, s_3 = 0.9.
        // Rates: 19/30; 1 - (2/15)/(11/30) = 7/11; 1 - (1/10)/(2/15) = 1/4.
        var schedule = new PolynomialSchedule(0.9, 3);
        var rates = new List<double>();
        for (double? rate; (rate = schedule.NextRate(ScheduleContexts.Accepted([.. rates]))) is not null;)
        {
            rates.Add(rate.Value);
        }

        Assert.AreEqual(3, rates.Count);
        Assert.AreEqual(19.0 / 30, rates[0], 1e-12);
        Assert.AreEqual(7.0 / 11, rates[1], 1e-12);
        Assert.AreEqual(1.0 / 4, rates[2], 1e-12);
        Assert.AreEqual(13.0 / 15, schedule.CumulativeSparsity(2), 1e-12);
    }

    [TestMethod]
    public void NextRate_AfterAllSteps_CompoundsToTheFinalSparsity()
    {
        foreach (var schedule in new[] { new PolynomialSchedule(0.9, 3), new PolynomialSchedule(0.75, 10, 0.2, 1), new PolynomialSchedule(0.5, 1), new PolynomialSchedule(0.98, 25, 0.05, 2.5) })
        {
            var rates = new List<double>();
            double remaining = 1;
            for (double? rate; (rate = schedule.NextRate(ScheduleContexts.Accepted([.. rates]))) is not null;)
            {
                Assert.IsTrue(rate > 0 && rate < 1, $"{schedule.Name}: rate {rate}");
                rates.Add(rate.Value);
                remaining *= 1 - rate.Value;
                Assert.AreEqual(schedule.CumulativeSparsity(rates.Count), 1 - remaining, 1e-12, $"{schedule.Name} after step {rates.Count}");
            }

            Assert.AreEqual(schedule.Steps, rates.Count, schedule.Name);
            Assert.AreEqual(schedule.FinalSparsity, 1 - remaining, 1e-12, schedule.Name);
        }
    }

    [TestMethod]
    public void NextRate_InitialSparsity_FirstStepPrunesStraightToTheCurve()
    {
        // Linear from 0.1 to 0.5 in two steps: s_1 = 0.5 - 0.4 * 0.5 = 0.3, s_2 = 0.5; rates 0.3 and 1 - 0.5/0.7 = 2/7.
        var schedule = new PolynomialSchedule(0.5, 2, initialSparsity: 0.1, power: 1);
        Assert.AreEqual(0.3, schedule.NextRate(ScheduleContexts.Accepted())!.Value, 1e-12);
        Assert.AreEqual(2.0 / 7, schedule.NextRate(ScheduleContexts.Accepted(0.3))!.Value, 1e-12);
        Assert.AreEqual(0, schedule.CumulativeSparsity(0));
    }

    [TestMethod]
    public void NextRate_RejectedStep_Stops()
    {
        Assert.IsNull(new PolynomialSchedule(0.9, 5).NextRate(ScheduleContexts.EndingInRejection(0.4)));
    }

    [TestMethod]
    public void Constructor_OutOfRangeArguments_ThrowNamingTheParameter()
    {
        Assert.AreEqual("finalSparsity", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new PolynomialSchedule(1, 3)).ParamName);
        Assert.AreEqual("steps", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new PolynomialSchedule(0.5, 0)).ParamName);
        Assert.AreEqual("initialSparsity", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new PolynomialSchedule(0.5, 3, 0.5)).ParamName);
        Assert.AreEqual("initialSparsity", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new PolynomialSchedule(0.5, 3, -0.1)).ParamName);
        Assert.AreEqual("power", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new PolynomialSchedule(0.5, 3, 0, 0)).ParamName);
        Assert.AreEqual("step", Assert.ThrowsException<ArgumentOutOfRangeException>(() => new PolynomialSchedule(0.5, 3).CumulativeSparsity(4)).ParamName);
    }
}
