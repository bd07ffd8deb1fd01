using Microsoft.ML.Pruning.Reports;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Reports;

[TestClass]
public sealed class LinearScaleTests
{
    [TestMethod]
    [DataRow(0.7, 1.0)]
    [DataRow(1.0, 1.0)]
    [DataRow(1.3, 2.0)]
    [DataRow(125.0, 200.0)]
    [DataRow(3.0, 5.0)]
    [DataRow(0.06, 0.1)]
    [DataRow(0.0021, 0.005)]
    public void NiceStep_RoundsUpToOneTwoOrFiveTimesAPowerOfTen(double raw, double nice) =>
        Assert.AreEqual(nice, LinearScale.NiceStep(raw), nice * 1e-12);

    [TestMethod]
    public void Create_WidensToNiceTicksAndMapsLinearly()
    {
        // Span 750 over 6 intervals wants 125 per tick: the nice step is 200, from 200 to 1000.
        var scale = LinearScale.Create([250, 1000, 600], 0, 100, 6);

        CollectionAssert.AreEqual(new[] { 200.0, 400, 600, 800, 1000 }, scale.Ticks.ToArray());
        Assert.AreEqual(37.5, scale.Map(500), 1e-12);
        Assert.AreEqual(0, scale.Map(200), 1e-12);
        Assert.AreEqual(100, scale.Map(1000), 1e-12);
    }

    [TestMethod]
    public void Create_ReversedRange_MapsUpwardForAYAxis()
    {
        var scale = LinearScale.Create([0, 10], 300, 100, 5);

        Assert.AreEqual(300, scale.Map(0), 1e-12);
        Assert.AreEqual(200, scale.Map(5), 1e-12);
    }

    [TestMethod]
    public void Create_DecimalTicks_CarryNoFloatingPointResidue()
    {
        var scale = LinearScale.Create([0.1, 0.3], 0, 1, 2);

        CollectionAssert.AreEqual(new[] { 0.1, 0.2, 0.3 }, scale.Ticks.ToArray());
    }

    [TestMethod]
    public void Create_NegativeValues_CoverBothSigns()
    {
        var scale = LinearScale.Create([-3, 7], 0, 1, 5);

        CollectionAssert.AreEqual(new[] { -4.0, -2, 0, 2, 4, 6, 8 }, scale.Ticks.ToArray());
    }

    [TestMethod]
    public void Create_AllValuesEqual_CentresThemInANonEmptyDomain()
    {
        // 5 ± 5 % is [4.75, 5.25]: ticks of 0.1 from 4.7 to 5.3.
        var scale = LinearScale.Create([5, 5, 5], 0, 600, 5);

        Assert.AreEqual(4.7, scale.DomainMin, 1e-12);
        Assert.AreEqual(5.3, scale.DomainMax, 1e-12);
        Assert.AreEqual(300, scale.Map(5), 1e-9);
    }

    [TestMethod]
    public void Create_AllZeroOrNoValues_GivesTheUnitInterval()
    {
        foreach (var values in new[] { new double[] { 0, 0 }, [], [double.NaN, double.PositiveInfinity] })
        {
            var scale = LinearScale.Create(values, 0, 100, 5);

            Assert.AreEqual(0, scale.DomainMin);
            Assert.AreEqual(1, scale.DomainMax);
            Assert.AreEqual(50, scale.Map(0.5), 1e-12);
        }
    }

    [TestMethod]
    public void Create_NonNegativeData_NeverGetsANegativeDomain()
    {
        var scale = LinearScale.Create([0.01, 0.01], 0, 1, 5);

        Assert.IsTrue(scale.DomainMin >= 0, $"Domain starts at {scale.DomainMin}.");
        Assert.IsTrue(scale.DomainMax > 0.01);
    }
}
