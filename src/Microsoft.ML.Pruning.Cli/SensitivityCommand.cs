using System.CommandLine;
using System.Globalization;
using Microsoft.ML.Pruning.Pruning;
using Spectre.Console;

namespace Microsoft.ML.Pruning.Cli;

/// <summary><c>mlprune sensitivity</c>: prune each layer alone at a range of rates and record the accuracy drop (seeds/004 Fig. 12).</summary>
internal static class SensitivityCommand
{
    public static Command Create()
    {
        var shared = new SharedOptions();
        var rates = new Option<string>("--rates") { Description = "comma-separated rates to try per layer", DefaultValueFactory = _ => "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9" };
        var csv = new Option<string?>("--csv") { Description = "save the table as CSV to this file" };
        var command = new Command("sensitivity", "Prune each layer alone at a range of rates, without fine-tuning, and print the accuracy drop.");
        shared.AddTo(command);
        command.Options.Add(rates);
        command.Options.Add(csv);
        command.SetAction(parse => CommandRunner.Run(cancellationToken =>
        {
            var rateList = ParseRates(parse.GetValue(rates)!);
            var (network, train, test) = shared.Load(parse, cancellationToken);
            var method = parse.GetValue(shared.Method);
            if (method == CliMethod.Magnitude)
            {
                throw new UserException("--method magnitude masks single weights; the sensitivity sweep prunes units: use apoz, l1, l2, taylor or distinctiveness.");
            }

            var importance = CreateImportance(method);
            var layers = PruningGroups.Find(network).Select(g => g.Name).ToArray();
            var calibration = train.Shuffle(parse.GetValue(shared.Seed)).Take(Math.Min(2048, train.Count));
            var points = AnsiConsole.Status().Start("sweeping", _ => Pruner.AnalyzeSensitivity(network, calibration, test, layers,
                layer => new StructuredPruning(importance, new StructuredPruningOptions { Layers = [layer] }), rateList, null, cancellationToken));
            var table = new Table().AddColumn("layer");
            foreach (double r in rateList)
            {
                table.AddColumn(r.ToString("0.##", CultureInfo.InvariantCulture));
            }

            foreach (var layer in points.GroupBy(p => p.Layer))
            {
                table.AddRow([Markup.Escape(layer.Key), .. layer.Select(p => (p.AccuracyDrop * 100).ToString("0.00", CultureInfo.InvariantCulture))]);
            }

            AnsiConsole.MarkupLine("accuracy drop in points when each layer alone loses a share of its units, without fine-tuning:");
            AnsiConsole.Write(table);
            if (parse.GetValue(csv) is { } csvPath)
            {
                new PruningReport { Sensitivity = points }.SaveSensitivityCsv(csvPath);
                Console.WriteLine($"CSV: {csvPath}");
            }

            return 0;
        }));
        return command;
    }

    internal static IImportance CreateImportance(CliMethod method) => method switch
    {
        CliMethod.Apoz => new ApozImportance(),
        CliMethod.L1 => new WeightNormImportance(WeightNorm.L1),
        CliMethod.L2 => new WeightNormImportance(WeightNorm.L2),
        CliMethod.Taylor => new TaylorImportance(),
        CliMethod.Distinctiveness => new DistinctivenessImportance(),
        _ => throw new UserException($"--method: '{method}' has no unit criterion."),
    };

    private static double[] ParseRates(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var rates = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out rates[i]) || rates[i] is <= 0 or >= 1)
            {
                throw new UserException($"--rates: '{parts[i]}' is not a rate in (0, 1).");
            }
        }

        return rates.Length > 0 ? rates : throw new UserException("--rates: give at least one rate.");
    }
}
