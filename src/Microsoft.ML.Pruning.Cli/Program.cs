using System.CommandLine;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>
/// mlprune: prune, sensitivity, report and info from the command line. Run <c>mlprune --help</c> for the commands.
/// Exit codes: 0 done, 1 a mistake in an input (file, model, data), 2 a mistake in the command line, 130 cancelled (Ctrl+C), 143 terminated (SIGTERM).
/// </summary>
internal static class Program
{
    /// <summary>The exit code of a command line that does not parse.</summary>
    public const int UsageError = 2;

    /// <summary>The exit code after SIGTERM (128 + 15), as <c>timeout</c>, <c>docker stop</c> and CI runners expect.</summary>
    public const int Terminated = 143;

    public static int Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        bool terminated = false;
        ConsoleCancelEventHandler handler = (_, e) =>
        {
            if (cancellation.IsCancellationRequested)
            {
                return; // a second Ctrl+C ends the process at once
            }

            e.Cancel = true;
            Console.Error.WriteLine("cancelling: prune keeps the best model found so far (Ctrl+C again quits at once)");
            cancellation.Cancel();
        };

        // SIGTERM stops the work as Ctrl+C does: prune saves the best model so far, and the exit code says SIGTERM.
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            if (cancellation.IsCancellationRequested)
            {
                return; // a second signal ends the process at once
            }

            context.Cancel = true;
            terminated = true;
            Console.Error.WriteLine("terminating: prune keeps the best model found so far (a second SIGTERM quits at once)");
            cancellation.Cancel();
        });
        Console.CancelKeyPress += handler;
        try
        {
            int code = Run(args, Console.Out, Console.Error, cancellation.Token);
            return code == CommandRunner.Cancelled && terminated ? Terminated : code;
        }
        finally
        {
            Console.CancelKeyPress -= handler;
        }
    }

    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand CreateRootCommand() => new("Prune neural networks (ONNX, native or built-in models) with Microsoft.ML.Pruning.")
    {
        PruneCommand.Create(),
        SensitivityCommand.Create(),
        ReportCommand.Create(),
        InfoCommand.Create(),
    };

    /// <summary>Parses and runs a command line, writing to the given writers.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Receives the normal output.</param>
    /// <param name="error">Receives error lines.</param>
    /// <param name="cancellationToken">Stops a long command; prune then keeps the best model so far.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var parse = CreateRootCommand().Parse(args);
        if (parse.Errors.Count > 0)
        {
            // System.CommandLine would print every error and the whole help; one line is easier to read.
            string command = parse.CommandResult.Command is RootCommand ? "mlprune" : "mlprune " + parse.CommandResult.Command.Name;
            error.WriteLine($"error: {CommandRunner.OneLine(string.Join(" ", parse.Errors.Select(e => e.Message).Distinct()))} (see '{command} --help')");
            return UsageError;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        return parse.InvokeAsync(configuration, cancellationToken).GetAwaiter().GetResult();
    }
}
