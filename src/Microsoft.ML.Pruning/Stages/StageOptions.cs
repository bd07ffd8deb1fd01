using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Training;
using Microsoft.ML.Pruning.Workflow;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// The options every stage shares: columns, training (the trainer's epochs, or fine-tuning's), the training backend,
/// seed and threads, progress and cancellation. One vocabulary: the same setting has the same name on every stage.
/// </summary>
/// <remarks>A stage copies its options when it is built; changing this object afterwards does not reach the stage.</remarks>
public abstract class StageOptions
{
    private protected StageOptions(int epochs)
    {
        Epochs = epochs;
    }

    /// <summary>Gets or sets the name of the input column: a known-size vector of <see cref="float"/>.</summary>
    /// <value>The default is <c>Features</c>.</value>
    public string FeatureColumnName { get; set; } = DefaultColumnNames.Features;

    /// <summary>Gets or sets the name of the label column: a key, or an integer type holding 0-based class indices.</summary>
    /// <value>The default is <c>Label</c>.</value>
    public string LabelColumnName { get; set; } = DefaultColumnNames.Label;

    /// <summary>
    /// Gets or sets the epochs of training: the trainer's epochs, the fine-tuning stage's epochs, or the fine-tuning
    /// after each pruning step (0 skips it).
    /// </summary>
    /// <value>The default is 10 for the trainer, 2 for the fine-tuning stage and 1 for pruning stages; at least 0 (at least 1 where the stage is training).</value>
    public int Epochs { get; set; }

    /// <summary>Gets or sets the Adam learning rate.</summary>
    /// <value>The default is 0.001; it must be positive and finite.</value>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Gets or sets the mini-batch size of training.</summary>
    /// <value>The default is 128; it must be at least 1.</value>
    public int BatchSize { get; set; } = 128;

    /// <summary>
    /// Gets or sets the share of the rows a model stage holds out (seeded) to measure accuracy: the reports and the
    /// accuracy budget. Every later stage of the pipeline holds out the model stage's rows, so that their accuracies
    /// compare; a later stage's own value is not used (the MLContext's log says so when it differs). Training picks its
    /// best epoch on other rows: a seeded tenth of the rows it trains on.
    /// </summary>
    /// <value>The default is 0.1; it must be in (0, 0.5].</value>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>
    /// Gets or sets the training backend that runs every epoch of this stage (training and fine-tuning), or
    /// <see langword="null"/> for the managed engine.
    /// </summary>
    /// <value>The default is <see langword="null"/> (the managed engine).</value>
    public ITrainingBackend? Backend { get; set; }

    /// <summary>
    /// Gets or sets the names of the layers this stage's training keeps fixed: weights and BatchNorm statistics unchanged
    /// bit for bit (they run as at inference). Layers a model stage freezes stay frozen in every later stage of the
    /// pipeline, and pruning stages leave them whole unless <see cref="PruningStageOptions.PruneFrozenLayers"/> is set.
    /// </summary>
    /// <value>The default is <see langword="null"/>: none. Every name must be a layer of the network (checked before any training).</value>
    public IReadOnlyList<string>? FrozenLayers { get; set; }

    /// <summary>Gets or sets the seed of this stage's random choices, or <see langword="null"/> to draw it from the <see cref="MLContext"/>'s seed.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public int? Seed { get; set; }

    /// <summary>Gets or sets the threads the engine uses in this stage's fit and its transformer's scoring, or <see langword="null"/> for the engine's default.</summary>
    /// <value>The default is <see langword="null"/>; when set, 1 to 256.</value>
    public int? NumberOfThreads { get; set; }

    /// <summary>Gets or sets whether the reports measure inference latency (batch 1 and 256).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool MeasureLatency { get; set; }

    /// <summary>
    /// Gets or sets the most bytes of features (4 bytes a value) that a stage reads into memory. Data up to this size are
    /// read once into memory and shuffled in full at each epoch; larger data are streamed from the <see cref="IDataView"/>
    /// batch by batch at every pass, the next batch read (and its images decoded) while the current one trains. Streamed
    /// data are shuffled in full when the view allows it (put <c>AppendCacheCheckpoint</c> before the stage: ML.NET then
    /// holds the rows, and each epoch reads them from its cache), otherwise through a seeded shuffle buffer of at most
    /// half this many bytes, and each epoch reads the source again. 0 always streams.
    /// </summary>
    /// <value>The default is 536,870,912 (512 MiB); at least 0.</value>
    public long DataMemoryLimit { get; set; } = DefaultDataMemoryLimit;

    /// <summary>Gets or sets the receiver of progress during <c>Fit</c>, or <see langword="null"/>.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IProgress<PruningProgress>? Progress { get; set; }

    /// <summary>Gets or sets the token that stops <c>Fit</c>; the fitted transformer then holds the best model found so far and says it was cancelled.</summary>
    /// <value>The default is <see cref="CancellationToken.None"/>.</value>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>The default <see cref="DataMemoryLimit"/>: 512 MiB.</summary>
    internal const long DefaultDataMemoryLimit = 512L << 20;

    /// <summary>Gets the smallest allowed <see cref="Epochs"/>.</summary>
    private protected virtual int MinimumEpochs => 0;

    /// <summary>Checks the options; throws for the first bad one, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (its ParamName is the option).</exception>
    /// <exception cref="ArgumentException">A column name is empty.</exception>
    public virtual void Validate()
    {
        OptionChecks.RequireName(FeatureColumnName, nameof(FeatureColumnName));
        OptionChecks.RequireName(LabelColumnName, nameof(LabelColumnName));
        OptionChecks.Require(Epochs >= MinimumEpochs, nameof(Epochs), Epochs, $"must be at least {MinimumEpochs}");
        OptionChecks.Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be positive and finite");
        OptionChecks.Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "must be at least 1");
        OptionChecks.Require(ValidationFraction is > 0 and <= 0.5, nameof(ValidationFraction), ValidationFraction, "must be in (0, 0.5]");
        OptionChecks.Require(DataMemoryLimit >= 0, nameof(DataMemoryLimit), DataMemoryLimit, "must be at least 0");
        OptionChecks.Require(NumberOfThreads is null or (>= 1 and <= 256), nameof(NumberOfThreads), NumberOfThreads, "must be in [1, 256] when set");
        if (FrozenLayers is not null && FrozenLayers.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("FrozenLayers holds an empty layer name.", nameof(FrozenLayers));
        }
    }

    /// <summary>Copies the options (a stage keeps its own copy).</summary>
    internal StageOptions Copy()
    {
        var copy = (StageOptions)MemberwiseClone();
        copy.FrozenLayers = FrozenLayers?.ToArray();
        copy.CopyCollections();
        return copy;
    }

    /// <summary>Replaces collection-valued options with copies.</summary>
    private protected virtual void CopyCollections()
    {
    }

    /// <summary>Creates the engine's training settings of this stage's training or fine-tuning (at least one epoch).</summary>
    internal StageTrainingOptions Training() => new(Math.Max(1, Epochs)) { BatchSize = BatchSize, LearningRate = LearningRate, Backend = Backend, FrozenLayers = FrozenLayers };
}
