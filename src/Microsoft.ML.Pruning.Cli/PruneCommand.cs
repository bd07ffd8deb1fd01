using System.CommandLine;
using Microsoft.ML.Pruning.Pruning;
using Microsoft.ML.Pruning.Training;
using Spectre.Console;

namespace Microsoft.ML.Pruning.Cli;

/// <summary><c>mlprune prune</c>: prune a model under an accuracy budget, save the smaller ONNX model and the report.</summary>
internal static class PruneCommand
{
    public static Command Create()
    {
        var shared = new SharedOptions();
        var schedule = new Option<CliSchedule>("--schedule") { Description = "oneshot, fixed (iterative), polynomial (AGP) or adaptive (seeds/002)", DefaultValueFactory = _ => CliSchedule.OneShot };
        var rate = new Option<double>("--rate") { Description = "one-shot and fixed: the rate per step; polynomial: the final sparsity", DefaultValueFactory = _ => 0.5 };
        var steps = new Option<int>("--steps") { Description = "polynomial: the number of steps; fixed and adaptive: the most steps", DefaultValueFactory = _ => 5 };
        var budget = new Option<double>("--budget") { Description = "the largest accuracy drop allowed, in percentage points", DefaultValueFactory = _ => 0.5 };
        var epochs = new Option<int>("--fine-tune-epochs") { Description = "fine-tuning epochs after each pruning step", DefaultValueFactory = _ => 1 };
        var auxiliary = new Option<int?>("--aux-units") { Description = "adaptive only: insert an auxiliary dense layer of this width once pruning converges" };
        var roundTo = new Option<int>("--round-to") { Description = "keep a multiple of this many units per layer", DefaultValueFactory = _ => 1 };
        var layers = new Option<string?>("--layers") { Description = "comma-separated layer names to prune (default: every hidden layer)" };
        var output = new Option<string>("--output", "-o") { Description = "the pruned model, ONNX", DefaultValueFactory = _ => "pruned.onnx" };
        var report = new Option<string?>("--report") { Description = "save the report as JSON to this file" };
        var html = new Option<string?>("--html") { Description = "save the report as a self-contained HTML page to this file" };
        var command = new Command("prune", "Prune a model under an accuracy budget and save the smaller model as ONNX.");
        shared.AddTo(command);
        foreach (var option in new Option[] { schedule, rate, steps, budget, epochs, auxiliary, roundTo, layers, output, report, html })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => CommandRunner.Run(cancellationToken =>
        {
            var (network, train, test) = shared.Load(parse, cancellationToken);
            var context = new PruningContext(parse.GetValue(shared.Seed));
            var stage = CreateStage(context, parse.GetValue(shared.Method), new StageSettings(
                parse.GetValue(rate), parse.GetValue(budget) / 100, parse.GetValue(epochs), parse.GetValue(roundTo),
                parse.GetValue(layers)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
            int stepCount = parse.GetValue(steps);
            stage = parse.GetValue(schedule) switch
            {
                CliSchedule.Fixed => context.Pruning.FixedRate(stage, new FixedRateSchedulerOptions { Rate = parse.GetValue(rate), MaximumSteps = stepCount }),
                CliSchedule.Polynomial => context.Pruning.Polynomial(stage, parse.GetValue(rate), stepCount),
                CliSchedule.Adaptive => context.Pruning.AdaptiveRate(stage, new AdaptiveRateSchedulerOptions { MaximumSteps = stepCount, AuxiliaryLayerUnits = parse.GetValue(auxiliary) }),
                _ => stage,
            };
            if (parse.GetValue(auxiliary) is not null && parse.GetValue(schedule) != CliSchedule.Adaptive)
            {
                throw new UserException("--aux-units needs --schedule adaptive.");
            }

            double before = Evaluator.Evaluate(network, test).Accuracy;
            var model = AnsiConsole.Status().Start("pruning", status => stage.Fit(network, train, null, Reporter.ToStatus(status), cancellationToken));
            double after = Evaluator.Evaluate(model.Network, test).Accuracy;
            Console.WriteLine(model.Report.ToTable());
            AnsiConsole.MarkupLine($"test accuracy: {before:P2} before, [bold]{after:P2}[/] after{(model.Cancelled ? " [yellow](cancelled: best model so far)[/]" : "")}");
            model.SaveOnnx(parse.GetValue(output)!);
            Console.WriteLine($"pruned model: {parse.GetValue(output)}");
            if (parse.GetValue(report) is { } reportPath)
            {
                model.Report.Save(reportPath);
                Console.WriteLine($"report: {reportPath}");
            }

            if (parse.GetValue(html) is { } htmlPath)
            {
                HtmlReport.Save(model.Report, htmlPath, $"{parse.GetValue(shared.Method)} pruning of {parse.GetValue(shared.Model)}");
                Console.WriteLine($"HTML report: {htmlPath}");
            }

            return model.Cancelled ? 130 : 0;
        }));
        return command;
    }

    internal static PruningEstimator CreateStage(PruningContext context, CliMethod method, StageSettings s) => method switch
    {
        CliMethod.Apoz => context.Pruning.Apoz(s.Apply(new ApozPruningOptions())),
        CliMethod.Magnitude => context.Pruning.Magnitude(s.Apply(new MagnitudePruningOptions())),
        CliMethod.L1 => context.Pruning.FilterL1(s.Apply(new FilterL1PruningOptions())),
        CliMethod.L2 => context.Pruning.FilterL1(s.Apply(new FilterL1PruningOptions { Norm = WeightNorm.L2 })),
        CliMethod.Taylor => context.Pruning.Taylor(s.Apply(new TaylorPruningOptions())),
        CliMethod.Distinctiveness => context.Pruning.Distinctiveness(s.Apply(new DistinctivenessPruningOptions())),
        _ => throw new UserException($"--method: unknown method '{method}'."),
    };
}

/// <summary>The stage settings the command line sets.</summary>
internal sealed record StageSettings(double Rate, double MaximumAccuracyDrop, int FineTuningEpochs, int RoundTo, IReadOnlyList<string>? Layers)
{
    public T Apply<T>(T options)
        where T : PruningEstimatorOptions
    {
        options.Rate = Rate is > 0 and < 1 ? Rate : throw new UserException($"--rate must be in (0, 1); got {Rate}.");
        options.MaximumAccuracyDrop = MaximumAccuracyDrop;
        options.FineTuningEpochs = FineTuningEpochs;
        options.RoundTo = RoundTo;
        options.Layers = Layers;
        return options;
    }
}
