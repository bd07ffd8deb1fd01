using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// The base of every stage: an ML.NET estimator whose <see cref="Fit"/> reads the <c>Features</c> and <c>Label</c>
/// columns, runs the stage with the engine (training, pruning, fine-tuning) and returns a <see cref="NeuralNetworkTransformer"/>.
/// A model stage starts the network; every other stage works on the model the stage before it in the pipeline produced.
/// </summary>
public abstract class NetworkStageEstimator : IEstimator<NeuralNetworkTransformer>
{
    private protected NetworkStageEstimator(StageOptions options, int contextSeed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Settings = options.Copy();
        Seed = options.Seed ?? contextSeed;
    }

    /// <summary>Gets the seed of the stage's random choices (the options' seed, or one drawn from the <see cref="MLContext"/>).</summary>
    public int Seed { get; }

    /// <summary>Gets the stage's own copy of its options.</summary>
    private protected StageOptions Settings { get; }

    /// <summary>Gets whether the stage starts a model (training, or loading) rather than working on the previous stage's.</summary>
    private protected abstract bool StartsModel { get; }

    /// <summary>Returns the output shape: the input's columns plus <c>Score</c> and <c>PredictedLabel</c>, as ML.NET's multiclass trainers give them.</summary>
    /// <param name="inputSchema">The shape of the data the stage will see.</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type (the message names it).</exception>
    /// <exception cref="InvalidOperationException">No model stage comes before this stage.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        StageColumns.CheckShape(inputSchema, Settings.FeatureColumnName, Settings.LabelColumnName);
        if (!StartsModel && StageColumns.FindShape(inputSchema, DefaultColumnNames.Score) is null)
        {
            throw NoModel();
        }

        return OutputShape.Of(inputSchema, Settings.FeatureColumnName, Settings.LabelColumnName);
    }

    /// <summary>Fits the stage. A seeded share of the rows (<see cref="StageOptions.ValidationFraction"/>) is held out to measure accuracy.</summary>
    /// <param name="input">The training data, with the previous stage's model when this is not a model stage.</param>
    /// <returns>The fitted transformer; when the fit is cancelled it holds the best model found so far.</returns>
    /// <exception cref="ArgumentException">A column is missing, has the wrong type or a size that does not fit the model, or the data has no labelled rows.</exception>
    /// <exception cref="InvalidOperationException">No model stage comes before this stage.</exception>
    public NeuralNetworkTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var previous = StartsModel ? null : ModelRegistry.Find(input.Schema) ?? throw NoModel();
        var start = previous?.Network ?? StartingNetwork();
        var columns = StageColumns.Check(input.Schema, Settings.FeatureColumnName, Settings.LabelColumnName, start.InputShape, FloatTensor.ComputeLength(start.OutputShape));
        var token = Settings.CancellationToken;
        IReadOnlyList<PruningReport> earlier = previous?.StageReports ?? [];
        using var threads = ComputeSettings.UseDegreeOfParallelism(Settings.NumberOfThreads);
        if (token.IsCancellationRequested && previous is not null)
        {
            // Cancelled before this stage began: the best model so far is the one it was given.
            return new NeuralNetworkTransformer(previous.Network, columns, Settings.NumberOfThreads, earlier, cancelled: true, previous.SplitSeed);
        }

        var data = DataViewReader.Read(input, columns, start.InputShape);
        // Every stage of a pipeline holds out the same rows (the model stage's split), so their accuracies compare.
        int splitSeed = previous?.SplitSeed ?? Seed;
        var (training, validation) = Split(data, splitSeed);
        var (network, report, cancelled) = Run(NetworkSerializer.Clone(start), training, validation);
        IReadOnlyList<PruningReport> reports = StartsModel ? [report] : [.. earlier, report];
        return new NeuralNetworkTransformer(network, columns, Settings.NumberOfThreads, reports, cancelled || (previous?.Cancelled ?? false), splitSeed);
    }

    /// <summary>Returns the network a model stage starts from (not changed by the fit).</summary>
    private protected virtual Network StartingNetwork() => throw NoModel();

    /// <summary>Runs the stage on a copy of the network it starts from.</summary>
    private protected abstract (Network Network, PruningReport Report, bool Cancelled) Run(Network network, Dataset training, Dataset validation);

    private InvalidOperationException NoModel() =>
        new($"{GetType().Name} has no model to work on: put a model stage before it in the pipeline " +
            "(mlContext.MulticlassClassification.Trainers.NeuralNetwork(...) to train one, or mlContext.Pruning().LoadOnnxModel(...) to start from an ONNX model).");

    private (Dataset Training, Dataset Validation) Split(Dataset data, int seed)
    {
        if (data.Count < 2)
        {
            throw new ArgumentException($"The data has {data.Count} labelled row; a stage needs at least 2 (some are held out for validation).", "input");
        }

        var shuffled = data.Shuffle(seed);
        int held = Math.Clamp((int)Math.Round(data.Count * Settings.ValidationFraction), 1, data.Count - 1);
        return (shuffled.Slice(held, data.Count - held), shuffled.Slice(0, held));
    }
}
