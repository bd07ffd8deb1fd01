using System.CommandLine;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Reports;
using Microsoft.ML.Pruning.Training;
using Microsoft.ML.Pruning.Workflow;

namespace Microsoft.ML.Pruning.Cli;

/// <summary><c>mlprune prune</c>: prune a model under an accuracy budget, save the smaller ONNX model and the report.</summary>
internal static class PruneCommand
{
    public static System.CommandLine.Command Create()
    {
        var shared = new SharedOptions();
        var schedule = CliOptions.Choice<CliSchedule>("--schedule", "oneshot, fixed (iterative at --rate), polynomial (AGP towards --rate) or adaptive (seeds/002)");
        var rate = CliOptions.Number("--rate", "one-shot and fixed: the share of units (magnitude: weights) removed per step; polynomial: the final sparsity", 0.5, 0.0, 1.0, open: true);
        var steps = CliOptions.Number("--steps", "polynomial: the number of steps; fixed and adaptive: the most steps", 5, 1);
        var budget = CliOptions.Number("--budget", "the largest accuracy drop allowed, in percentage points, on a validation share of the training data", 0.5, 0.0, 100.0);
        var epochs = CliOptions.Number("--fine-tune-epochs", "fine-tuning epochs after each pruning step", 1, 0);
        var auxiliary = CliOptions.OptionalCount("--aux-units", "adaptive only: insert an auxiliary dense layer of this width once pruning converges", 1);
        var roundTo = CliOptions.Number("--round-to", "keep a multiple of this many units per layer", 1, 1);
        var layers = new Option<string?>("--layers") { Description = "comma-separated layer names to prune (default: every hidden layer; see 'mlprune info')" };
        var noLatency = new Option<bool>("--no-latency") { Description = "skip the latency measurement of the report" };
        var output = new Option<string>("--output", "-o") { Description = "the pruned model: ONNX when it ends in .onnx, the native format when .mlnp", DefaultValueFactory = _ => "pruned.onnx" };
        var report = new Option<string?>("--report") { Description = "save the report as JSON to this file (render it again with 'mlprune report')" };
        var html = new Option<string?>("--html") { Description = "save the report as a self-contained HTML page to this file" };
        var command = new System.CommandLine.Command("prune", "Prune a model under an accuracy budget and save the smaller model as ONNX.");
        shared.AddTo(command);
        foreach (var option in new Option[] { schedule, rate, steps, budget, epochs, auxiliary, roundTo, layers, noLatency, output, report, html })
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            if (CliOptions.TryGetValue(result, auxiliary, out int? units) && units is not null
                && CliOptions.TryGetValue(result, schedule, out CliSchedule chosen) && chosen != CliSchedule.Adaptive)
            {
                result.AddError("--aux-units needs --schedule adaptive.");
            }
        });

        CommandRunner.SetBody(command, (parse, console, cancellationToken) =>
        {
            var method = parse.GetValue(shared.Method);
            var layerNames = LayerNames.Parse(parse.GetValue(layers));
            string outputPath = parse.GetValue(output)!;
            OutputPaths.Check(
                [new OutputFile("--output", outputPath, ".onnx", ".mlnp"), new OutputFile("--report", parse.GetValue(report), ".json"), new OutputFile("--html", parse.GetValue(html), ".html", ".htm")],
                ("--model", parse.GetValue(shared.Model)), ("--data", parse.GetValue(shared.Data)));
            var inputs = shared.Load(parse, console, network => LayerNames.Check(network, layerNames, method != CliMethod.Magnitude));
            var trained = shared.StartModel(parse, inputs, console, cancellationToken);

            var setup = new PruningSetup(method, parse.GetValue(schedule), parse.GetValue(rate), parse.GetValue(steps), parse.GetValue(budget) / 100, parse.GetValue(epochs),
                parse.GetValue(shared.LearningRate), parse.GetValue(roundTo), layerNames, parse.GetValue(auxiliary), !parse.GetValue(noLatency), parse.GetValue(shared.Seed));
            double before = Evaluator.Evaluate(trained.Network, inputs.Test, cancellationToken: cancellationToken).Accuracy;
            var model = console.Status($"pruning with {method.ToString().ToLowerInvariant()}, schedule {setup.Schedule.ToString().ToLowerInvariant()}", progress =>
                StageRunner.Run(setup.ToStage(), trained, inputs.Train, Reporter.Messages(progress), cancellationToken: cancellationToken));
            double after = Evaluator.Evaluate(model.Network, inputs.Test).Accuracy;
            console.Line(model.Report.ToTable());
            console.Markup($"test accuracy: {before:P2} before, [bold]{after:P2}[/] after; parameters: {trained.Network.ParameterCount:N0} before, [bold]{model.Network.ParameterCount:N0}[/] after; nonzero: {NonzeroCount.Of(trained.Network):N0} before, [bold]{NonzeroCount.Of(model.Network):N0}[/] after{(model.Cancelled ? " [yellow](cancelled: the best model so far)[/]" : "")}");

            var saved = model.Network;
            if (inputs.Normalizer is { } normalizer)
            {
                string scaling = normalizer.Kind == NormalizationKind.Standardize ? "standardization" : "min-max scaling";
                saved = InputNormalizationFolding.Carry(model.Network, normalizer);
                console.Line(ReferenceEquals(saved, model.Network)
                    ? $"the feature {scaling} fitted on the training rows is folded into the first layer: the saved model takes raw features"
                    : $"the feature {scaling} fitted on the training rows is carried by a BatchNorm layer ('{InputNormalizationFolding.LayerName}') in front of the saved model: it takes raw features");
            }

            try
            {
                FiniteWeights.Ensure(saved);
            }
            catch (ArgumentException e)
            {
                throw new UserException($"--output: '{outputPath}' not saved: {CommandRunner.WithoutParameter(e)}");
            }

            if (outputPath.EndsWith(".mlnp", StringComparison.OrdinalIgnoreCase))
            {
                NetworkSerializer.Save(saved, outputPath);
            }
            else
            {
                OnnxModel.Save(saved, outputPath);
            }

            console.Line($"pruned model: {outputPath}");
            if (parse.GetValue(report) is { } reportPath)
            {
                model.Report.Save(reportPath);
                console.Line($"report: {reportPath}");
            }

            if (parse.GetValue(html) is { } htmlPath)
            {
                HtmlReport.Save(model.Report, htmlPath, $"{method.ToString().ToLowerInvariant()} pruning of {parse.GetValue(shared.Model)}");
                console.Line($"HTML report: {htmlPath}");
            }

            return model.Cancelled ? CommandRunner.Cancelled : 0;
        });
        return command;
    }
}
