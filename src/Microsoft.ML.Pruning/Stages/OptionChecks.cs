namespace Microsoft.ML.Pruning.Stages;

/// <summary>The range checks of the options classes: one message shape, the option as ParamName.</summary>
internal static class OptionChecks
{
    public static void Require(bool condition, string option, object? value, string rule)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(option, value, $"{option} {rule}; got {value?.ToString() ?? "null"}.");
        }
    }

    public static void RequireName(string? name, string option)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"{option} must name a column.", option);
        }
    }
}
