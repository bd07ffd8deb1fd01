using System.Globalization;

namespace Microsoft.ML.Pruning.Schedules;

/// <summary>Argument checks and formatting shared by the schedules.</summary>
internal static class ScheduleArguments
{
    /// <summary>Throws unless <paramref name="value"/> lies strictly between 0 and 1.</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the exception.</param>
    /// <returns>The value.</returns>
    public static double OpenFraction(double value, string name) =>
        value is > 0 and < 1
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be greater than 0 and less than 1.");

    /// <summary>Throws unless <paramref name="value"/> is at least 1.</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the exception.</param>
    /// <returns>The value.</returns>
    public static int AtLeastOne(int value, string name) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");

    /// <summary>Whether the schedule must stop because the last step was rolled back.</summary>
    /// <param name="context">The context.</param>
    /// <returns><see langword="true"/> when the history ends with a rejected step.</returns>
    public static bool LastStepRejected(PruningScheduleContext context) => context.History.Count > 0 && !context.History[^1].Accepted;

    /// <summary>Formats a number for a schedule's name, invariant culture.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The text.</returns>
    public static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
