using Spectre.Console;
using Spectre.Console.Rendering;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>Where a command writes: Spectre.Console on the invocation's output writer, and the error writer.</summary>
internal sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error)
    {
        Output = output;
        Error = error;
        var settings = new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) };
        if (!settings.Out.IsTerminal)
        {
            // A file or a pipe gets plain text: no colour codes, no spinner.
            settings.Ansi = AnsiSupport.No;
            settings.ColorSystem = ColorSystemSupport.NoColors;
            settings.Interactive = InteractionSupport.No;
        }

        Ansi = AnsiConsole.Create(settings);
        if (!settings.Out.IsTerminal)
        {
            // Spectre wraps at 80 columns when the output is a file or a pipe; tables and lines read better unwrapped.
            Ansi.Profile.Width = 200;
        }
    }

    /// <summary>Gets the console that renders tables, markup and status lines on the output writer.</summary>
    public IAnsiConsole Ansi { get; }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    /// <summary>Writes plain text (no markup) and a line break, unwrapped: preformatted tables keep their columns on a narrow terminal.</summary>
    public void Line(string text = "") => Output.WriteLine(text);

    /// <summary>Writes Spectre markup and a line break; interpolated values must be escaped.</summary>
    public void Markup(string markup) => Ansi.MarkupLine(markup);

    public void Write(IRenderable renderable) => Ansi.Write(renderable);

    /// <summary>Runs <paramref name="work"/> under a spinner on a terminal, or plainly when the output is redirected.</summary>
    public T Status<T>(string title, Func<IProgress<string>, T> work)
    {
        if (!Ansi.Profile.Capabilities.Interactive)
        {
            Line(title);
            return work(new Reporter<string>(message => Markup($"[grey]{Spectre.Console.Markup.Escape(message)}[/]")));
        }

        return Ansi.Status().Start(Spectre.Console.Markup.Escape(title), status => work(new Reporter<string>(message =>
        {
            status.Status(Spectre.Console.Markup.Escape(message));
            Markup($"[grey]{Spectre.Console.Markup.Escape(message)}[/]");
        })));
    }
}
