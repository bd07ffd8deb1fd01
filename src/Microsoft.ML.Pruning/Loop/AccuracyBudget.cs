namespace Microsoft.ML.Pruning.Loop;

/// <summary>The one comparison of an accuracy drop with the budget, shared by the loop and the schedules.</summary>
internal static class AccuracyBudget
{
    /// <summary>
    /// The slack of the comparison. Accuracies arrive as float32 ratios, so a drop exactly at the budget can come out a
    /// few 1e-8 above it; 1e-6 absorbs that and stays below one sample in a million.
    /// </summary>
    public const double Tolerance = 1e-6;

    /// <summary>Whether a drop stays within the allowed drop.</summary>
    /// <param name="drop">The accuracy drop from the baseline, absolute (positive when worse).</param>
    /// <param name="allowedDrop">The allowed drop, absolute.</param>
    /// <returns><see langword="true"/> when <paramref name="drop"/> is at most <paramref name="allowedDrop"/> (NaN is never within).</returns>
    public static bool IsWithin(double drop, double allowedDrop) => drop <= allowedDrop + Tolerance;

    /// <summary>Turns the configured budget into an absolute allowed drop.</summary>
    /// <param name="maximumDrop">The configured drop.</param>
    /// <param name="kind">How <paramref name="maximumDrop"/> is meant.</param>
    /// <param name="baselineAccuracy">The unpruned accuracy.</param>
    /// <returns>The allowed drop in accuracy points (absolute, in [0, 1]).</returns>
    public static double AllowedDrop(double maximumDrop, BudgetKind kind, double baselineAccuracy) =>
        kind == BudgetKind.Relative ? maximumDrop * baselineAccuracy : maximumDrop;
}
