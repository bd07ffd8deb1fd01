using System.CommandLine;
using System.Globalization;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Structure;
using Spectre.Console;

namespace Microsoft.ML.Pruning.Cli;

/// <summary><c>mlprune sensitivity</c>: prune each layer alone at a range of rates and record the accuracy drop (seeds/004 Fig. 12).</summary>
internal static class SensitivityCommand
{
    public static System.CommandLine.Command Create()
    {
        var shared = new SharedOptions();
        var rates = new Option<double[]?>("--rates")
        {
            Description = "comma-separated rates to try per layer, each in (0, 1) (default: 0.1,0.2,...,0.9)",
            CustomParser = ParseRates,
        };
        var layers = new Option<string?>("--layers") { Description = "comma-separated layer names to sweep (default: every prunable layer; see 'mlprune info')" };
        var csv = new Option<string?>("--csv") { Description = "save the points as CSV to this file" };
        var command = new System.CommandLine.Command("sensitivity", "Prune each layer alone at a range of rates, without fine-tuning, and print the test-accuracy drop.");
        shared.AddTo(command);
        command.Options.Add(rates);
        command.Options.Add(layers);
        command.Options.Add(csv);
        command.Validators.Add(result =>
        {
            if (CliOptions.TryGetValue(result, shared.Method, out CliMethod method) && method == CliMethod.Magnitude)
            {
                result.AddError("--method magnitude masks single weights; the sensitivity sweep removes units: use apoz, l1, l2, taylor or distinctiveness.");
            }
        });

        CommandRunner.SetBody(command, (parse, console, cancellationToken) =>
        {
            // An absent --rates reads as an empty array (System.CommandLine does not call the parser then): the default sweep.
            var rateList = parse.GetValue(rates) is { Length: > 0 } given ? given : DefaultRates;
            var layerNames = LayerNames.Parse(parse.GetValue(layers));
            OutputPaths.Check([new OutputFile("--csv", parse.GetValue(csv), ".csv")], ("--model", parse.GetValue(shared.Model)), ("--data", parse.GetValue(shared.Data)));
            var importance = PruningSetup.CreateImportance(parse.GetValue(shared.Method));
            var inputs = shared.Load(parse, console, network => LayerNames.Check(network, layerNames, structured: true));
            // A model file is swept as it is; only a built-in architecture is trained first.
            var network = inputs.Untrained ? shared.StartModel(parse, inputs, console, cancellationToken).Network : inputs.Network;
            var sweep = layerNames ?? PruningGroup.Find(network).Select(g => g.Name).ToArray();
            var calibration = CalibrationSampler.Draw(inputs.Train, CalibrationSampler.DefaultCount, parse.GetValue(shared.Seed));
            var points = console.Status("sweeping", progress => Pruner.AnalyzeSensitivity(network, calibration, inputs.Test, sweep,
                layer => new StructuredPruning(importance, new StructuredPruningOptions { Layers = [layer] }), rateList, Reporter.Messages(progress), cancellationToken));
            var table = new Table().AddColumn("layer");
            foreach (double r in rateList)
            {
                table.AddColumn(new TableColumn(r.ToString("0.##", CultureInfo.InvariantCulture)).RightAligned());
            }

            foreach (var layer in points.GroupBy(p => p.Layer))
            {
                table.AddRow([Markup.Escape(layer.Key), .. layer.Select(p => (p.AccuracyDrop * 100).ToString("0.00", CultureInfo.InvariantCulture))]);
            }

            if (points.Count > 0)
            {
                console.Line(string.Create(CultureInfo.InvariantCulture, $"baseline test accuracy: {(points[0].Accuracy + points[0].AccuracyDrop) * 100:0.00} %"));
            }

            console.Line("test-accuracy drop in points when each layer alone loses a share of its units, without fine-tuning:");
            console.Write(table);
            if (parse.GetValue(csv) is { } csvPath)
            {
                new PruningReport { Sensitivity = points }.SaveSensitivityCsv(csvPath);
                console.Line($"CSV: {csvPath}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>The rates swept when <c>--rates</c> is not given, as its help says.</summary>
    private static readonly double[] DefaultRates = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

    private static double[]? ParseRates(System.CommandLine.Parsing.ArgumentResult result)
    {

        var parts = string.Join(',', result.Tokens.Select(t => t.Value)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || values[i] is <= 0 or >= 1 || double.IsNaN(values[i]))
            {
                result.AddError($"--rates: '{parts[i]}' is not a rate in (0, 1).");
                return [];
            }
        }

        if (values.Length == 0)
        {
            result.AddError("--rates: give at least one rate, such as --rates 0.25,0.5.");
        }

        return values;
    }
}
