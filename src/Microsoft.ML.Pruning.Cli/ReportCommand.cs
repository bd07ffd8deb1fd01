using System.CommandLine;
using Microsoft.ML.Pruning.Reports;

namespace Microsoft.ML.Pruning.Cli;

/// <summary><c>mlprune report REPORT.json [--html FILE]</c>: prints a saved report as a table, optionally renders it as HTML.</summary>
internal static class ReportCommand
{
    public static System.CommandLine.Command Create()
    {
        var report = new Argument<string>("report") { Description = "a report saved by 'mlprune prune --report' (JSON)" };
        var html = new Option<string?>("--html") { Description = "also write the report as a self-contained HTML page to this file" };
        var title = new Option<string?>("--title") { Description = "the HTML page's title (default: the report file's name)" };
        var command = new System.CommandLine.Command("report", "Print a saved pruning report, and render it as HTML.") { report, html, title };
        CommandRunner.SetBody(command, (parse, console, _) =>
        {
            string path = parse.GetValue(report)!;
            if (!File.Exists(path))
            {
                throw new UserException(Directory.Exists(path) ? $"report: '{path}' is a folder, not a report file." : $"report: file '{path}' does not exist.");
            }

            OutputPaths.Check([new OutputFile("--html", parse.GetValue(html), ".html", ".htm")], ("report", path));
            PruningReport loaded;
            try
            {
                loaded = PruningReport.Load(path);
            }
            catch (FormatException e)
            {
                throw new UserException($"report: '{path}' is not a pruning report saved by 'mlprune prune --report': {e.GetBaseException().Message}");
            }

            if (loaded.Baseline.Parameters == 0 && loaded.Final.Parameters == 0 && loaded.Steps.Count == 0 && loaded.Sensitivity.Count == 0)
            {
                throw new UserException($"report: '{path}' is JSON but holds no pruning report (no model sizes, steps or sensitivity points).");
            }

            console.Line(loaded.ToTable());
            if (parse.GetValue(html) is { } htmlPath)
            {
                HtmlReport.Save(loaded, htmlPath, parse.GetValue(title) ?? Path.GetFileNameWithoutExtension(path));
                console.Line($"HTML report: {htmlPath}");
            }

            return 0;
        });
        return command;
    }
}
