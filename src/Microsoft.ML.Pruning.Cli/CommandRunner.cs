using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Spectre.Console;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>Runs a command's body: user mistakes become one red line and exit code 1; Ctrl+C cancels cleanly.</summary>
internal static class CommandRunner
{
    public static int Run(Func<CancellationToken, int> body)
    {
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler handler = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
            AnsiConsole.MarkupLine("[yellow]cancelling: the best model so far will be kept[/]");
        };
        Console.CancelKeyPress += handler;
        try
        {
            return body(cancellation.Token);
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= handler;
        }
    }

    private static bool IsUserError(Exception e) => e is UserException or ArgumentException or FormatException or IOException
        or UnauthorizedAccessException or InvalidOperationException or OnnxImportException or ModelFormatException or DataFormatException;
}
