using System.CommandLine;
using System.Text.RegularExpressions;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>Runs a command's body: a user mistake becomes one <c>error:</c> line and exit code 1; cancellation exits with 130.</summary>
internal static partial class CommandRunner
{
    /// <summary>The exit code of a mistake in an input.</summary>
    public const int InputError = 1;

    /// <summary>The exit code of a cancelled command (128 + SIGINT, as shells report Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>Sets the command's action to <paramref name="body"/>, run through <see cref="Run"/>.</summary>
    public static void SetBody(System.CommandLine.Command command, Func<ParseResult, CliConsole, CancellationToken, int> body) =>
        command.SetAction((parse, cancellationToken) => Task.FromResult(Run(parse, body, cancellationToken)));

    public static int Run(ParseResult parse, Func<ParseResult, CliConsole, CancellationToken, int> body, CancellationToken cancellationToken)
    {
        var configuration = parse.InvocationConfiguration;
        var console = new CliConsole(configuration.Output, configuration.Error);
        try
        {
            return body(parse, console, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.Error.WriteLine("error: cancelled; nothing was saved.");
            return Cancelled;
        }
        catch (Exception e) when (IsUserError(e))
        {
            console.Error.WriteLine($"error: {Describe(e)}");
            return InputError;
        }
    }

    /// <summary>Joins the lines of a message into one.</summary>
    public static string OneLine(string message) => Whitespace().Replace(message, " ").Trim();

    /// <summary>The message of an <see cref="ArgumentException"/> without the " (Parameter 'name')" that it appends.</summary>
    public static string WithoutParameter(ArgumentException e)
    {
        string message = e.Message;
        if (e.ParamName is { } name)
        {
            // ArgumentException appends " (Parameter 'name')" and ArgumentOutOfRangeException "Actual value was ...".
            int suffix = message.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal);
            message = suffix >= 0 ? message[..suffix] : message;
        }

        return message;
    }

    private static string Describe(Exception e) => OneLine(e is ArgumentException argument ? WithoutParameter(argument) : e.Message);

    /// <summary>
    /// The exceptions that the library documents for bad inputs (missing or malformed files, invalid options, data that
    /// do not fit the model). Anything else is a bug, and System.CommandLine prints it with its stack trace.
    /// </summary>
    private static bool IsUserError(Exception e) => e is UserException or ArgumentException or FormatException or IOException
        or UnauthorizedAccessException or NotSupportedException or OnnxImportException or ModelFormatException or DataFormatException or NotFiniteNumberException;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
