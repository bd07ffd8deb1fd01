using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Workflow;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// A fitted stage: the (trained, pruned or fine-tuned) network, the report of how it got there, and scoring as ML.NET's
/// multiclass trainers score: <c>Score</c> (class probabilities) and <c>PredictedLabel</c> (a key). <see cref="Transform"/>
/// is lazy and scores in batches; <c>CreatePredictionEngine</c> is served by a row mapper; several threads may score at once.
/// </summary>
/// <remarks>
/// <c>mlContext.Model.Save</c> writes this transformer as a chain of ML.NET's own transformers (ONNX scoring of the
/// per-row graph, then the arg-max and the label's key values), so <c>mlContext.Model.Load</c> reads it back where
/// Microsoft.ML, Microsoft.ML.OnnxTransformer, ONNX Runtime and this assembly are referenced; the loaded model is that chain.
/// A stage that the next stage of its fitted pipeline supersedes saves, inside that pipeline's chain, as a pass-through,
/// so the saved pipeline holds one network, the last stage's; saved on its own it writes its whole network.
/// </remarks>
public sealed class NeuralNetworkTransformer : ITransformer
{
    private readonly StageColumns _columns;
    private readonly NetworkScorer _scorer;
    private readonly string _id;
    private readonly Lazy<ITransformer> _saved;

    internal NeuralNetworkTransformer(StageResult result, StageColumns columns, int? threads)
    {
        Result = result;
        _columns = columns;
        _scorer = new NetworkScorer(result.Network, threads);
        _id = ModelRegistry.Register(this);
        _saved = new Lazy<ITransformer>(() => SavedChain.Build(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// Gets a copy of the network: the model this transformer scores, saves and exports. Each call returns a new copy, so
    /// changing it changes neither this transformer's scores nor what it saves; to use a changed network, start a
    /// pipeline from it (<c>mlContext.Pruning().FromNetwork(network)</c>).
    /// </summary>
    public Network Network => NetworkSerializer.Clone(Result.Network);

    /// <summary>
    /// Gets the report of the pruning: its baseline is the model as it entered the first pruning (or fine-tuning) stage of
    /// the pipeline, its final model this one, with every step between. With no such stage it is the model stage's report.
    /// Its first lines (<see cref="PruningReport.ToTable"/>) say when a step was rolled back or nothing was pruned.
    /// </summary>
    public PruningReport Report => Result.Report;

    /// <summary>Gets one report per stage that led to this model, in pipeline order (the model stage first).</summary>
    public IReadOnlyList<PruningReport> StageReports => Result.StageReports;

    /// <summary>Gets whether a stage's fit was cancelled; the network is then the best one found before the cancellation.</summary>
    public bool Cancelled => Result.Cancelled;

    /// <summary>
    /// Gets whether a pruning stage of the pipeline kept a step that removed something. When every step was rolled back
    /// (it broke the accuracy budget), the model has the size it started with; the MLContext's log says so too. The units
    /// or weights each stage removed are in <see cref="StageReports"/> (<see cref="PruningReport.Removed"/>).
    /// </summary>
    public bool PrunedAnything => Result.PrunedAnything;

    /// <summary>Gets the name of the feature column the transformer reads.</summary>
    public string FeatureColumnName => _columns.Features;

    /// <summary>Gets the class names (the label's key values as text), or <see langword="null"/> when the label had none.</summary>
    public IReadOnlyList<string>? ClassNames => _columns.ClassValues?.Names;

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    internal StageColumns Columns => _columns;

    /// <summary>Gets the run so far: the one network this transformer scores, saves and exports, and what the next stage continues from.</summary>
    internal StageResult Result { get; }

    internal NetworkScorer Scorer => _scorer;

    /// <summary>Writes the network as ONNX to a file, atomically.</summary>
    /// <param name="path">The destination .onnx file.</param>
    /// <param name="flavor">The batch graph for ONNX Runtime, or the per-row graph for <c>ApplyOnnxModel</c>.</param>
    public void SaveOnnx(string path, OnnxExportFlavor flavor = OnnxExportFlavor.Batch) => OnnxRowModel.Save(Result.Network, path, flavor);

    /// <summary>Writes the network as ONNX to a stream.</summary>
    /// <param name="stream">The writable stream; left open.</param>
    /// <param name="flavor">The batch graph for ONNX Runtime, or the per-row graph for <c>ApplyOnnxModel</c>.</param>
    public void SaveOnnx(Stream stream, OnnxExportFlavor flavor = OnnxExportFlavor.Batch) => OnnxRowModel.Save(Result.Network, stream, flavor);

    /// <summary>Returns the schema <see cref="Transform"/> produces: the input's columns, then <c>Score</c> and <c>PredictedLabel</c>.</summary>
    /// <param name="inputSchema">The input schema.</param>
    /// <returns>The output schema.</returns>
    /// <exception cref="ArgumentException">The feature column is missing, not a float vector, or of the wrong size.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        StageColumns.Check(inputSchema, _columns.Features, null, Result.Network.InputShape, _scorer.ClassCount);
        return ScoreColumns.Append(inputSchema, _scorer.ClassCount, _columns.ClassValues, _id);
    }

    /// <summary>Scores data lazily: nothing is computed until a cursor reads <c>Score</c> or <c>PredictedLabel</c>, then rows are scored in batches.</summary>
    /// <param name="input">The data.</param>
    /// <returns>The data with <c>Score</c> and <c>PredictedLabel</c>.</returns>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var scored = new ScoredDataView(input, this, GetOutputSchema(input.Schema));
        ChainFitLineage.Observe(this, input, scored);
        return scored;
    }

    /// <summary>Returns the row mapper that serves <c>CreatePredictionEngine</c>.</summary>
    /// <param name="inputSchema">The input schema.</param>
    /// <returns>The mapper.</returns>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new ScoringRowMapper(inputSchema, this, GetOutputSchema(inputSchema));

    /// <summary>Saves the transformer through ML.NET as a chain of ML.NET's own transformers (see the remarks).</summary>
    /// <param name="ctx">ML.NET's save context.</param>
    void ICanSaveModel.Save(ModelSaveContext ctx) => (ChainFitLineage.SavesAsPassThrough(this) ? SavedChain.PassThrough : _saved.Value).Save(ctx);
}
