using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Workflow;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// The base of every stage: an ML.NET estimator over a <see cref="Stage"/> value. Its <see cref="Fit"/> reads the
/// <c>Features</c> and <c>Label</c> columns and runs the stage with <see cref="StageRunner"/> (training, pruning,
/// fine-tuning), which owns the held-out rows, the seeds, the budget and the reports; it returns a
/// <see cref="NeuralNetworkTransformer"/>. A model stage starts the network; every other stage works on the model the
/// stage before it in the pipeline produced.
/// </summary>
public abstract class NetworkStageEstimator : IEstimator<NeuralNetworkTransformer>
{
    private readonly IHostEnvironment? _environment;

    private protected NetworkStageEstimator(StageOptions options, int contextSeed, IHostEnvironment? environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Settings = options.Copy();
        Seed = options.Seed ?? contextSeed;
        _environment = environment;
    }

    /// <summary>Gets the seed of the stage's random choices (the options' seed, or one drawn from the <see cref="MLContext"/>).</summary>
    public int Seed { get; }

    /// <summary>Gets the stage's own copy of its options.</summary>
    private protected StageOptions Settings { get; }

    /// <summary>Gets the stage the estimator runs.</summary>
    internal abstract Stage Stage { get; }

    /// <summary>Returns the output shape: the input's columns plus <c>Score</c> and <c>PredictedLabel</c>, as ML.NET's multiclass trainers give them.</summary>
    /// <param name="inputSchema">The shape of the data the stage will see.</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type (the message names it).</exception>
    /// <exception cref="InvalidOperationException">No model stage of this library comes before this stage (a <c>Score</c> column of another trainer is no model to work on).</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        StageColumns.CheckShape(inputSchema, Settings.FeatureColumnName, Settings.LabelColumnName);
        if (Stage is not ModelStage && !OutputShape.HasModel(inputSchema))
        {
            throw NoModel();
        }

        int? classes = Stage is ModelStage model ? ClassesBeforeFit(model) : null;
        return OutputShape.Of(inputSchema, Settings.LabelColumnName, classes);
    }

    /// <summary>Fits the stage. A seeded share of the rows (the model stage's <see cref="StageOptions.ValidationFraction"/>) is held out to measure accuracy.</summary>
    /// <param name="input">The training data, with the previous stage's model when this is not a model stage.</param>
    /// <returns>The fitted transformer; when the fit is cancelled it holds the best model found so far.</returns>
    /// <exception cref="ArgumentException">A column is missing, has the wrong type or a size that does not fit the model, or the data has no labelled rows.</exception>
    /// <exception cref="InvalidOperationException">No model stage comes before this stage.</exception>
    public NeuralNetworkTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var previous = Stage is ModelStage ? null : ModelRegistry.Find(input.Schema) ?? throw NoModel();
        // Before the columns: a label key fitted on no rows has its own class count, and the real problem is the empty data.
        DataViewReader.EnsureRows(input);
        var (stage, inputShape, classes) = previous is null ? ForData(input) : (Stage, previous.Result.Network.InputShape, FloatTensor.ComputeLength(previous.Result.Network.OutputShape));
        var columns = StageColumns.Check(input.Schema, Settings.FeatureColumnName, Settings.LabelColumnName, inputShape, classes);
        var token = Settings.CancellationToken;
        using var threads = ComputeSettings.UseDegreeOfParallelism(Settings.NumberOfThreads);
        if (previous is not null && token.IsCancellationRequested)
        {
            // Cancelled before this stage began: the best model so far is the one it was given (its data is not read).
            return new NeuralNetworkTransformer(previous.Result.AsCancelled(), columns, Settings.NumberOfThreads);
        }

        var log = new StageLog(_environment, GetType().Name);
        if (previous is not null && previous.Result.Split.Fraction != Settings.ValidationFraction)
        {
            log.Warning($"ValidationFraction {Settings.ValidationFraction} is not used: every stage of a pipeline holds out the model stage's rows ({previous.Result.Split.Fraction} of them), so that their accuracies compare.");
        }

        var data = DataViewReader.Open(input, columns, inputShape, Settings.DataMemoryLimit, log);
        var result = StageRunner.Run(stage, previous?.Result, data, Settings.Progress, log, token);
        return new NeuralNetworkTransformer(result, columns, Settings.NumberOfThreads);
    }

    /// <summary>Returns the model stage to run on the data, the per-sample shape it reads and the classes it scores (a model stage with a new head sizes it here).</summary>
    /// <param name="data">The data.</param>
    /// <returns>The stage, its input shape and class count.</returns>
    private protected virtual (Stage Stage, int[] InputShape, int Classes) ForData(IDataView data)
    {
        var start = ((ModelStage)Stage).Start;
        return (Stage, start.InputShape, FloatTensor.ComputeLength(start.OutputShape));
    }

    /// <summary>Returns the classes a model stage scores, when known before fitting (a new head is sized by the data).</summary>
    /// <param name="model">The model stage.</param>
    /// <returns>The class count, or <see langword="null"/>.</returns>
    private protected virtual int? ClassesBeforeFit(ModelStage model) => FloatTensor.ComputeLength(model.Start.OutputShape);

    private InvalidOperationException NoModel() =>
        new($"{GetType().Name} has no model to work on: put a model stage before it in the pipeline " +
            "(mlContext.MulticlassClassification.Trainers.NeuralNetwork(...) to train one, or mlContext.Pruning().LoadOnnxModel(...) to start from an ONNX model).");
}
