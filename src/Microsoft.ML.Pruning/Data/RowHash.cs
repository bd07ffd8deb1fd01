namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// Seeded splits of rows by their number, without reading the rows: a row belongs to the split when a fixed 64-bit mix
/// of a salt and its number falls below the split's share of the 64-bit range. The same in every process and on every
/// machine (unlike <see cref="HashCode"/>, which is randomized per process).
/// </summary>
internal static class RowHash
{
    /// <summary>Returns whether row <paramref name="row"/> falls in the <paramref name="fraction"/> of the rows that <paramref name="salt"/> selects.</summary>
    /// <param name="salt">The salt (a seed, mixed with a constant that keeps different splits apart).</param>
    /// <param name="row">The row's number.</param>
    /// <param name="fraction">The share of the rows selected, in [0, 1].</param>
    /// <returns>Whether the row is selected.</returns>
    public static bool Selects(ulong salt, long row, double fraction) => Mix(salt, (ulong)row) < fraction * ulong.MaxValue;

    /// <summary>A fixed 64-bit mix (SplitMix64's finalizer) of a salt and a row number.</summary>
    /// <param name="salt">The salt.</param>
    /// <param name="row">The row's number.</param>
    /// <returns>The mix.</returns>
    public static ulong Mix(ulong salt, ulong row)
    {
        ulong z = row + (salt * 0x9E3779B97F4A7C15UL) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
