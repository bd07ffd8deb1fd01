using System.CommandLine;
using System.Globalization;
using System.Numerics;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>Options whose bad values are parse errors that name the option (exit code 2), checked before any work starts.</summary>
internal static class CliOptions
{
    /// <summary>An option choosing among an enum's values, written in lower case (<c>--method apoz</c>); when absent, the enum's first value.</summary>
    /// <remarks>No default value factory: System.CommandLine's help would print the default in PascalCase.</remarks>
    public static Option<T> Choice<T>(string name, string description)
        where T : struct, Enum
    {
        string[] names = Enum.GetNames<T>().Select(n => n.ToLowerInvariant()).ToArray();
        return new Option<T>(name)
        {
            Description = $"{description} (default: {default(T).ToString().ToLowerInvariant()})",
            HelpName = string.Join('|', names),
            CustomParser = result =>
            {
                string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (Enum.TryParse(text, ignoreCase: true, out T value) && Enum.IsDefined(value) && !int.TryParse(text, out _))
                {
                    return value;
                }

                result.AddError($"{name}: '{text}' is not one of {string.Join(", ", names)}.");
                return default;
            },
        };
    }

    /// <summary>A number option that must lie in [<paramref name="minimum"/>, <paramref name="maximum"/>], or the open interval where said.</summary>
    public static Option<T> Number<T>(string name, string description, T defaultValue, T minimum, T? maximum = null, bool open = false)
        where T : struct, INumber<T>
    {
        return new Option<T>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (!T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out T value) || !T.IsFinite(value))
                {
                    result.AddError($"{name}: '{text}' is not a{(typeof(T) == typeof(int) ? "n integer" : " number")}.");
                    return defaultValue;
                }

                bool low = open ? value > minimum : value >= minimum;
                bool high = maximum is not { } max || (open ? value < max : value <= max);
                if (!low || !high)
                {
                    string range = maximum is { } m ? (open ? $"in ({F(minimum)}, {F(m)})" : $"in [{F(minimum)}, {F(m)}]") : (open ? $"greater than {F(minimum)}" : $"at least {F(minimum)}");
                    result.AddError($"{name} must be {range}; got {text}.");
                }

                return value;
            },
        };
    }

    /// <summary>An optional integer option (no default) that, when given, must be at least <paramref name="minimum"/>.</summary>
    public static Option<int?> OptionalCount(string name, string description, int minimum) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            {
                result.AddError($"{name}: '{text}' is not an integer.");
                return null;
            }

            if (value < minimum)
            {
                result.AddError($"{name} must be at least {minimum}; got {value}.");
            }

            return value;
        },
    };

    /// <summary>A single-character option; <c>tab</c> and <c>\t</c> mean the tab character.</summary>
    public static Option<char> Character(string name, string description, char defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (text is "tab" or "\\t")
            {
                return '\t';
            }

            if (text.Length != 1)
            {
                result.AddError($"{name}: '{text}' is not one character (write tab for a tab).");
                return defaultValue;
            }

            return text[0];
        },
    };

    /// <summary>
    /// Reads an option's value inside a validator, or returns false when the value failed to parse: its own error is
    /// reported then, and System.CommandLine's GetValue would throw (exit 134 with a stack trace).
    /// </summary>
    public static bool TryGetValue<T>(System.CommandLine.Parsing.CommandResult result, Option<T> option, out T? value)
    {
        try
        {
            value = result.GetValue(option);
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    private static string F<T>(T value)
        where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}
