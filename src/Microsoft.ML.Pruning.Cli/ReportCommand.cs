using System.CommandLine;
using Microsoft.ML.Pruning.Pruning;

namespace Microsoft.ML.Pruning.Cli;

/// <summary><c>mlprune report REPORT.json [--html FILE]</c>: prints a saved report as a table, optionally renders it as HTML.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var report = new Argument<string>("report") { Description = "a report saved by 'mlprune prune --report' (JSON)" };
        var html = new Option<string?>("--html") { Description = "also write the report as a self-contained HTML page to this file" };
        var command = new Command("report", "Print a saved pruning report, and render it as HTML.") { report, html };
        command.SetAction(parse => CommandRunner.Run(_ =>
        {
            string path = parse.GetValue(report)!;
            if (!File.Exists(path))
            {
                throw new UserException($"report: file '{path}' does not exist.");
            }

            var loaded = PruningReport.Load(path);
            Console.WriteLine(loaded.ToTable());
            if (parse.GetValue(html) is { } htmlPath)
            {
                HtmlReport.Save(loaded, htmlPath, Path.GetFileNameWithoutExtension(path));
                Console.WriteLine($"HTML report: {htmlPath}");
            }

            return 0;
        }));
        return command;
    }
}
