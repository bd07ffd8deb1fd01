using System.CommandLine;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Workflow;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>The model and data a command works on, ready for each other.</summary>
/// <param name="Network">The model file's network, or the architecture to train.</param>
/// <param name="Train">The training data, normalized when <paramref name="Normalizer"/> is set.</param>
/// <param name="Test">The test data, normalized alike.</param>
/// <param name="Normalizer">The normalization fitted on the training data, or null.</param>
/// <param name="Name">The <c>--model</c> argument.</param>
/// <param name="Untrained">Whether <paramref name="Network"/> is an architecture that the model stage trains.</param>
internal sealed record LoadedInputs(Network Network, Dataset Train, Dataset Test, Normalizer? Normalizer, string Name, bool Untrained);

/// <summary>The options that <c>prune</c> and <c>sensitivity</c> share: the model, the data and the machine.</summary>
internal sealed class SharedOptions
{
    public Option<string> Model { get; } = new("--model", "-m") { Description = ModelSource.Help, Required = true };

    public Option<string> Data { get; } = new("--data", "-d") { Description = DataSource.Help, DefaultValueFactory = _ => "fashion-mnist" };

    public Option<string?> LabelColumn { get; } = new("--label-column") { Description = "CSV: the label column's index (from 0) or header name (default: the last column)" };

    public Option<bool> NoHeader { get; } = new("--no-header") { Description = "CSV: the first row (after --skip-lines) is data, not column names" };

    public Option<int> SkipLines { get; } = CliOptions.Number("--skip-lines", "CSV: lines to skip before the header or the first row (scikit-learn's breast_cancer.csv: 1 with --no-header)", 0, 0);

    public Option<char> Separator { get; } = CliOptions.Character("--separator", "CSV: the field separator (tab for a tab)", ',');

    public Option<double> TestFraction { get; } = CliOptions.Number("--test-fraction", "CSV: the share of rows held out as test data", 0.2, 0.0, 1.0, open: true);

    public Option<CliNormalization> Normalize { get; } = CliOptions.Choice<CliNormalization>("--normalize", "feature scaling fitted on the training rows and carried by the saved model (folded into a first dense layer, else a BatchNorm in front); auto standardizes CSV features for a built-in architecture and gives a model file its data as they are");

    public Option<int?> MaxSamples { get; } = CliOptions.OptionalCount("--max-samples", "use at most this many training and this many test samples (quick runs)", 1);

    public Option<int> TrainEpochs { get; } = CliOptions.Number("--train-epochs", "epochs to train a built-in architecture before pruning", 5, 1);

    public Option<double> LearningRate { get; } = CliOptions.Number("--learning-rate", "Adam's learning rate for training and fine-tuning", 1e-3, 0.0, 1.0, open: true);

    public Option<CliMethod> Method { get; } = CliOptions.Choice<CliMethod>("--method", "the criterion: APoZ, weight magnitude (masks), L1 or L2 norm, first-order Taylor, or distinctiveness");

    public Option<int> Seed { get; } = new("--seed") { Description = "the seed of every random choice", DefaultValueFactory = _ => 1 };

    public Option<int?> Threads { get; } = CliOptions.OptionalCount("--threads", "worker threads (default: all cores)", 1);

    public void AddTo(System.CommandLine.Command command)
    {
        foreach (var option in new Option[] { Model, Data, LabelColumn, NoHeader, SkipLines, Separator, TestFraction, Normalize, MaxSamples, TrainEpochs, LearningRate, Method, Seed, Threads })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Loads the data and the model (a file, or an architecture for <see cref="StartModel"/> to train), shaped for each other.</summary>
    public LoadedInputs Load(ParseResult parse, CliConsole console, Action<Network> check)
    {
        if (parse.GetValue(Threads) is { } threads)
        {
            ComputeSettings.DegreeOfParallelism = Math.Min(threads, 256);
        }

        int seed = parse.GetValue(Seed);
        string modelArgument = parse.GetValue(Model)!;
        string dataArgument = parse.GetValue(Data)!;
        bool architecture = ModelSource.IsArchitecture(modelArgument);
        var network = architecture ? null : ModelSource.Load(modelArgument, seed);
        var csv = new CsvSettings(parse.GetValue(LabelColumn), !parse.GetValue(NoHeader), parse.GetValue(SkipLines), parse.GetValue(Separator));
        var (train, test) = DataSource.Load(dataArgument, csv, parse.GetValue(TestFraction), parse.GetValue(MaxSamples), seed, network?.OutputShape[^1]);
        network ??= ModelSource.Load(modelArgument, seed, train.FeatureCount, train.ClassCount);
        train = DataSource.Fit(train, network.InputShape, network.OutputShape[^1]);
        test = DataSource.Fit(test, network.InputShape, network.OutputShape[^1]);
        check(network);
        console.Line($"data: {dataArgument}, {train.Count:N0} training and {test.Count:N0} test samples of shape [{string.Join(", ", train.SampleShape)}], {train.ClassCount} classes");

        var kind = parse.GetValue(Normalize) switch
        {
            // A model trained elsewhere gets its data as they are; one trained here learns on standardized CSV features.
            CliNormalization.Auto => architecture && !(Directory.Exists(dataArgument) || dataArgument == "fashion-mnist") ? NormalizationKind.Standardize : (NormalizationKind?)null,
            CliNormalization.Standardize => NormalizationKind.Standardize,
            CliNormalization.MinMax => NormalizationKind.MinMax,
            _ => null,
        };
        Normalizer? normalizer = null;
        if (kind is { } k)
        {
            // Per-feature statistics fold into a first Dense layer; otherwise one per input channel, which a BatchNorm in front carries.
            normalizer = Normalizer.Fit(train, k);
            if (!InputNormalizationFolding.CanFold(network, normalizer))
            {
                normalizer = Normalizer.FitPerChannel(train, k);
            }

            train = normalizer.Apply(train);
            test = normalizer.Apply(test);
        }

        return new LoadedInputs(network, train, test, normalizer, modelArgument, architecture);
    }

    /// <summary>
    /// Runs the model stage: trains a built-in architecture (Adam, the best epoch picked on a tenth of the training rows),
    /// or measures a model file as it is. The run holds out a seeded tenth of the training rows, on which the pruning
    /// stage after it measures its budget.
    /// </summary>
    /// <exception cref="OperationCanceledException">The training was cancelled (nothing is saved).</exception>
    public StageResult StartModel(ParseResult parse, LoadedInputs inputs, CliConsole console, CancellationToken cancellationToken)
    {
        int seed = parse.GetValue(Seed);
        if (inputs.Train.Count < 2)
        {
            throw new UserException($"--data: {inputs.Train.Count} training row; at least 2 are needed to hold out rows that measure the model.");
        }

        if (!inputs.Untrained)
        {
            return StageRunner.Run(new PretrainedStage(inputs.Network, inputs.Name, seed), null, inputs.Train, cancellationToken: cancellationToken);
        }

        int epochs = parse.GetValue(TrainEpochs);
        var stage = new TrainingStage(inputs.Network, PruningSetup.Training(epochs, parse.GetValue(LearningRate)), seed);
        var result = console.Status($"training {inputs.Name} for {epochs} epoch{(epochs == 1 ? "" : "s")}", progress =>
            StageRunner.Run(stage, null, inputs.Train, Reporter.Messages(progress), cancellationToken: cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        return result;
    }
}
