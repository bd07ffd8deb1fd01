using Microsoft.ML.Pruning.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Pruning.Tests.Onnx;

/// <summary>Compares tensors element-wise under a tolerance and reports the worst element.</summary>
internal static class TensorComparison
{
    /// <summary>
    /// Asserts that |actual - expected| &lt;= tolerance · max(1, |expected|) everywhere: relative for large values,
    /// absolute for values below 1 (where float32 rounding of sums is absolute in scale).
    /// </summary>
    /// <param name="expected">The reference.</param>
    /// <param name="actual">The value under test.</param>
    /// <param name="tolerance">The combined tolerance.</param>
    /// <param name="what">What is compared, for the message.</param>
    /// <returns>The largest absolute difference.</returns>
    public static double AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        CollectionAssert.AreEqual(expected.Shape, actual.Shape, $"{what}: shape {Tensor.FormatShape(actual.Shape)} differs from {Tensor.FormatShape(expected.Shape)}.");
        return AssertClose(expected.Span, actual.Span, tolerance, 0, what);
    }

    /// <summary>Asserts |actual - expected| &lt;= atol + rtol · |expected| everywhere (numpy's allclose, as ONNX's node tests).</summary>
    /// <param name="expected">The reference values.</param>
    /// <param name="actual">The values under test.</param>
    /// <param name="relative">rtol.</param>
    /// <param name="absolute">atol.</param>
    /// <param name="what">What is compared, for the message.</param>
    /// <returns>The largest absolute difference.</returns>
    public static double AssertAllClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relative, double absolute, string what) =>
        AssertClose(expected, actual, relative, absolute, what, combined: false);

    private static double AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relative, double absolute, string what, bool combined = true)
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

            double difference = Math.Abs(a - e);
            double allowed = combined ? relative * Math.Max(1, Math.Abs(e)) : absolute + (relative * Math.Abs(e));
            if (!(difference <= allowed))
            {
                Assert.Fail($"{what}: element {i} is {a:R}, expected {e:R} (difference {difference:E3}, allowed {allowed:E3}).");
            }

            worst = Math.Max(worst, difference);
        }

        return worst;
    }
}
