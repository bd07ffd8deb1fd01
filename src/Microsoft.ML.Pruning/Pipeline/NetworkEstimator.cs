using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Pruning;

namespace Microsoft.ML.Pruning;

/// <summary>
/// A pipeline stage in the ML.NET idiom: <see cref="Fit(Dataset, IProgress{PruningProgress}?, CancellationToken)"/> does
/// the work (training, scoring, pruning, fine-tuning) and returns a <see cref="NetworkTransformer"/>. Estimators come
/// from a <see cref="PruningContext"/>'s catalogs and chain with <see cref="Append"/>.
/// </summary>
public abstract class NetworkEstimator
{
    private protected NetworkEstimator(PruningContext context)
    {
        Context = context;
    }

    /// <summary>Gets the context the estimator came from (its seed).</summary>
    private protected PruningContext Context { get; }

    /// <summary>
    /// Fits the estimator. A share of <paramref name="data"/> (each stage's <c>ValidationFraction</c>, seeded) is held
    /// out to measure accuracy for the budget; use the other overload to give validation data explicitly.
    /// </summary>
    /// <param name="data">The training data.</param>
    /// <param name="progress">Receives progress after every step; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">
    /// Stops the fit. The transformer then holds the best model found so far and <see cref="NetworkTransformer.Cancelled"/> is set.
    /// </param>
    /// <returns>The fitted transformer.</returns>
    /// <exception cref="ArgumentException">The data does not fit the model (the message names the column and the shapes).</exception>
    public NetworkTransformer Fit(Dataset data, IProgress<PruningProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckData(data, nameof(data));
        return FitCore(new FitContext(data, null, progress, cancellationToken));
    }

    /// <summary>Fits the estimator with explicit validation data, used for every accuracy measurement of the budget.</summary>
    /// <param name="training">The training data (fine-tuning and calibration).</param>
    /// <param name="validation">The validation data.</param>
    /// <param name="progress">Receives progress after every step; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the fit; the transformer then holds the best model so far.</param>
    /// <returns>The fitted transformer.</returns>
    public NetworkTransformer Fit(Dataset training, Dataset validation, IProgress<PruningProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(validation);
        CheckData(training, nameof(training));
        CheckData(validation, nameof(validation));
        return FitCore(new FitContext(training, validation, progress, cancellationToken));
    }

    /// <summary>Predicts the schema that the fitted transformer's <see cref="NetworkTransformer.Transform"/> produces, without fitting.</summary>
    /// <param name="inputSchema">The schema of the data the pipeline will see.</param>
    /// <returns>The input columns plus <see cref="ColumnNames.Score"/> and <see cref="ColumnNames.PredictedLabel"/>.</returns>
    /// <exception cref="ArgumentException">The input lacks a column (fitting needs <see cref="ColumnNames.Label"/>) or its shape does not fit the model.</exception>
    public DatasetSchema GetOutputSchema(DatasetSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (inputSchema[ColumnNames.Label] is not { IsInteger: true })
        {
            throw new ArgumentException($"Fitting needs an integer '{ColumnNames.Label}' column (columns: {inputSchema}).", nameof(inputSchema));
        }

        var (input, output) = ModelShapes();
        return NetworkTransformer.OutputSchema(inputSchema, input, output);
    }

    /// <summary>Appends a stage that works on the model this estimator produces.</summary>
    /// <param name="next">The next stage, from <see cref="PruningContext.Pruning"/>.</param>
    /// <returns>An estimator running this one, then <paramref name="next"/>.</returns>
    public NetworkEstimator Append(StageEstimator next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return new EstimatorChain(Context, this, next);
    }

    internal NetworkTransformer FitInternal(FitContext context) => FitCore(context);

    internal (int[] Input, int[] Output) ModelShapesInternal() => ModelShapes();

    /// <summary>Runs the estimator.</summary>
    private protected abstract NetworkTransformer FitCore(FitContext context);

    /// <summary>Gets the per-sample input and output shapes of the model this estimator produces.</summary>
    private protected abstract (int[] Input, int[] Output) ModelShapes();

    private void CheckData(Dataset data, string name)
    {
        if (data.Count == 0)
        {
            throw new ArgumentException($"The {name} data set is empty.", name);
        }

        var (input, output) = ModelShapes();
        NetworkTransformer.OutputSchema(DatasetSchema.Of(data), input, output);
        if (data.ClassCount > output[^1])
        {
            throw new ArgumentException($"Column '{ColumnNames.Label}' of the {name} data has {data.ClassCount} classes but the model scores {output[^1]}.", name);
        }
    }
}
