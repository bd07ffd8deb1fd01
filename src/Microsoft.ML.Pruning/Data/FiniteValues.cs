using System.Numerics;

namespace Microsoft.ML.Pruning.Data;

/// <summary>Finds NaN and infinite values, a vector at a time.</summary>
internal static class FiniteValues
{
    /// <summary>Returns the index of the first value that is NaN or infinite, or -1 when all are finite.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The index, or -1.</returns>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // x - x is 0 for a finite x and NaN for NaN and the infinities.
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(values.Slice(i));
                if (!Vector.EqualsAll(v - v, Vector<float>.Zero))
                {
                    break;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Names a non-finite value: NaN, +infinity or -infinity.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The name.</returns>
    public static string Describe(float value) => float.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";
}
