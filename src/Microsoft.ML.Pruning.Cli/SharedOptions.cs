using System.CommandLine;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Spectre.Console;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>The options that <c>prune</c> and <c>sensitivity</c> share: the model, the data and the machine.</summary>
internal sealed class SharedOptions
{
    public Option<string> Model { get; } = new("--model", "-m") { Description = ModelSource.Help, Required = true };

    public Option<string> Data { get; } = new("--data", "-d") { Description = DataSource.Help, DefaultValueFactory = _ => "fashion-mnist" };

    public Option<string?> LabelColumn { get; } = new("--label-column") { Description = "CSV only: the label column's index or header name (default: the last column)" };

    public Option<double> TestFraction { get; } = new("--test-fraction") { Description = "CSV only: the share of rows held out as test data", DefaultValueFactory = _ => 0.2 };

    public Option<int> TrainEpochs { get; } = new("--train-epochs") { Description = "epochs to train a built-in architecture before pruning", DefaultValueFactory = _ => 5 };

    public Option<CliMethod> Method { get; } = new("--method") { Description = "the criterion: apoz, magnitude, l1, l2, taylor or distinctiveness", DefaultValueFactory = _ => CliMethod.Apoz };

    public Option<int> Seed { get; } = new("--seed") { Description = "the seed of every random choice", DefaultValueFactory = _ => 1 };

    public Option<int> Threads { get; } = new("--threads") { Description = "worker threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Model, Data, LabelColumn, TestFraction, TrainEpochs, Method, Seed, Threads })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Loads the data and the model (training a built-in architecture first), shaped for each other.</summary>
    public (Network Network, Dataset Train, Dataset Test) Load(ParseResult parse, CancellationToken cancellationToken)
    {
        int threads = parse.GetValue(Threads);
        if (threads < 1)
        {
            throw new UserException($"--threads must be at least 1; got {threads}.");
        }

        ComputeSettings.DegreeOfParallelism = threads;
        double testFraction = parse.GetValue(TestFraction);
        if (testFraction is not (> 0 and < 1))
        {
            throw new UserException($"--test-fraction must be in (0, 1); got {testFraction}.");
        }

        int seed = parse.GetValue(Seed);
        string modelArgument = parse.GetValue(Model)!;
        var network = ModelSource.Load(modelArgument, seed);
        var (train, test) = DataSource.Load(parse.GetValue(Data)!, parse.GetValue(LabelColumn), testFraction, seed);
        train = DataSource.Fit(train, network.InputShape, "training");
        test = DataSource.Fit(test, network.InputShape, "test");
        if (ModelSource.IsArchitecture(modelArgument))
        {
            int epochs = parse.GetValue(TrainEpochs);
            if (epochs < 1)
            {
                throw new UserException($"--train-epochs must be at least 1; got {epochs}.");
            }

            var context = new PruningContext(seed);
            network = AnsiConsole.Status().Start($"training {modelArgument} for {epochs} epochs", status =>
                context.Model.Train(network, epochs).Fit(train, test, Reporter.ToStatus(status), cancellationToken).Network);
        }

        return (network, train, test);
    }
}
