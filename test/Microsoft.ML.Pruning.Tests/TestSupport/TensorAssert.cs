using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.TestSupport;

/// <summary>Element-wise comparison of tensors with a combined absolute and relative tolerance.</summary>
internal static class TensorAssert
{
    /// <summary>
    /// Asserts that <paramref name="actual"/> has <paramref name="expected"/>'s shape and that every element satisfies
    /// |actual - expected| &lt;= <paramref name="tolerance"/> · max(1, |expected|): a relative tolerance for values above 1
    /// and an absolute one below.
    /// </summary>
    /// <param name="expected">The reference values.</param>
    /// <param name="actual">The values under test.</param>
    /// <param name="what">Names the tensor in the failure message.</param>
    /// <param name="tolerance">The tolerance.</param>
    /// <returns>The largest scaled difference max |actual - expected| / max(1, |expected|).</returns>
    public static double AreClose(FloatTensor expected, FloatTensor? actual, string what, double tolerance)
    {
        Assert.IsNotNull(actual, $"{what}: no tensor was produced.");
        Assert.IsTrue(actual.HasShape(expected.Shape), $"{what}: shape {FloatTensor.FormatShape(actual.Shape)} differs from the expected {FloatTensor.FormatShape(expected.Shape)}.");
        var e = expected.Span;
        var a = actual.Span;
        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < e.Length; i++)
        {
            double difference = Math.Abs((double)a[i] - e[i]) / Math.Max(1.0, Math.Abs((double)e[i]));
            if (double.IsNaN(difference))
            {
                worst = double.NaN;
                worstIndex = i;
                break;
            }

            if (difference > worst)
            {
                worst = difference;
                worstIndex = i;
            }
        }

        Assert.IsTrue(worst <= tolerance, $"{what}: element {worstIndex} is {(worstIndex < 0 ? 0 : a[worstIndex])}, expected {(worstIndex < 0 ? 0 : e[worstIndex])} (scaled difference {worst:E2} > {tolerance:E0}).");
        return worst;
    }

    /// <summary>
    /// Asserts |actual - expected| &lt;= <paramref name="absolute"/> + <paramref name="relative"/> · |expected| everywhere,
    /// as numpy's allclose does for ONNX's node tests (NaN equals NaN).
    /// </summary>
    /// <param name="expected">The reference values.</param>
    /// <param name="actual">The values under test.</param>
    /// <param name="relative">rtol.</param>
    /// <param name="absolute">atol.</param>
    /// <param name="what">Names the values in the failure message.</param>
    /// <returns>The largest absolute difference.</returns>
    public static double AllClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relative, double absolute, string what)
    {
        Assert.AreEqual(expected.Length, actual.Length, $"{what}: element count differs.");
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e) && double.IsNaN(a))
            {
                continue;
            }

            double difference = Math.Abs(a - e), allowed = absolute + (relative * Math.Abs(e));
            Assert.IsTrue(difference <= allowed, $"{what}: element {i} is {a:R}, expected {e:R} (difference {difference:E3}, allowed {allowed:E3}).");
            worst = Math.Max(worst, difference);
        }

        return worst;
    }
}
