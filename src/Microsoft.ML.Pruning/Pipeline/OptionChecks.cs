namespace Microsoft.ML.Pruning;

/// <summary>The one way pipeline options reject a value: an <see cref="ArgumentOutOfRangeException"/> naming the option and its range.</summary>
internal static class OptionChecks
{
    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    /// <param name="condition">Whether the value is allowed.</param>
    /// <param name="option">The option's name.</param>
    /// <param name="value">The value.</param>
    /// <param name="rule">The allowed range, as words (for example "must be at least 1").</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is not allowed; the message names the option.</exception>
    public static void Require(bool condition, string option, object? value, string rule)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(option, value, $"{option} {rule}; got {value}.");
        }
    }
}
