namespace Microsoft.ML.Pruning.Training;

/// <summary>Options of a <see cref="Trainer"/>. Validated when the trainer is created.</summary>
public sealed class TrainerOptions
{
    /// <summary>Gets or sets the number of passes over the training data.</summary>
    /// <value>The default is 10. At least 1.</value>
    public int Epochs { get; set; } = 10;

    /// <summary>Gets or sets the mini-batch size.</summary>
    /// <value>The default is 128. At least 1.</value>
    /// <remarks>
    /// A batch never holds more rows than the data. When a batch of this size would need more than
    /// <see cref="BatchMemoryLimit"/> (or a tensor larger than a .NET array), the trainer trains with the largest batch
    /// that fits and says so in its first progress report (<see cref="TrainingProgress.Note"/>) and in <see cref="TrainingResult.BatchSize"/>.
    /// </remarks>
    public int BatchSize { get; set; } = 128;

    /// <summary>Gets or sets the batch size used for evaluation, which needs no gradients.</summary>
    /// <value>The default is 1024. At least 1. Lowered, as <see cref="BatchSize"/> is, when a batch would not fit in memory.</value>
    public int EvaluationBatchSize { get; set; } = 1024;

    /// <summary>Gets or sets the seed of the per-epoch shuffle.</summary>
    /// <value>The default is 0.</value>
    public int Seed { get; set; }

    /// <summary>Gets or sets the optimizer.</summary>
    /// <value>The default is Adam with learning rate 0.001.</value>
    public Optimizer? Optimizer { get; set; }

    /// <summary>Gets or sets the loss.</summary>
    /// <value>The default is softmax cross-entropy.</value>
    public Loss? Loss { get; set; }

    /// <summary>Gets or sets the learning-rate schedule, applied at the start of each epoch.</summary>
    /// <value>The default is <see langword="null"/>: a constant rate.</value>
    public LearningRateSchedule? LearningRateSchedule { get; set; }

    /// <summary>Gets or sets how many epochs without improvement of the monitored accuracy end training early; 0 never stops early.</summary>
    /// <value>The default is 0. At least 0.</value>
    public int Patience { get; set; }

    /// <summary>Gets or sets the smallest increase of accuracy that counts as an improvement.</summary>
    /// <value>The default is 0. In [0, 1).</value>
    public float MinimumImprovement { get; set; }

    /// <summary>Gets or sets whether the network ends with the weights of its best epoch rather than its last.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool KeepBestCheckpoint { get; set; } = true;

    /// <summary>Gets or sets whether each epoch's training accuracy is measured (one extra forward pass over the training data).</summary>
    /// <value>The default is <see langword="false"/>: the running accuracy of the training batches is reported instead.</value>
    public bool EvaluateTrainingSet { get; set; }

    /// <summary>
    /// Gets or sets the names of the layers to keep fixed: their weights and BatchNorm statistics stay unchanged bit for
    /// bit, they take no optimizer step (no weight decay, no optimizer state), and in training passes they run as at
    /// inference (a BatchNorm normalizes with its running statistics, dropout passes its input through), as a
    /// pretrained backbone is kept while a new head learns.
    /// </summary>
    /// <value>The default is <see langword="null"/>: no layer is frozen. Every name must be a layer of the network being trained; a fit checks this before it trains.</value>
    public IReadOnlyList<string>? FrozenLayers { get; set; }

    /// <summary>Gets or sets the names of the only layers to train; every other layer is frozen as <see cref="FrozenLayers"/> describes (for example only a new classifier head).</summary>
    /// <value>The default is <see langword="null"/>: every layer that is not in <see cref="FrozenLayers"/> trains. Not together with <see cref="FrozenLayers"/>; every name must be a layer of the network.</value>
    public IReadOnlyList<string>? TrainableLayers { get; set; }

    /// <summary>Gets or sets the engine that runs the training, for example TorchSharp from the Microsoft.ML.Pruning.TorchSharp assembly.</summary>
    /// <value>The default is <see langword="null"/>: this library's managed engine.</value>
    public ITrainingBackend? Backend { get; set; }

    /// <summary>
    /// Gets or sets the bytes that the activations of one batch may take (each layer's output and, in training, its
    /// gradient, cache and a convolution's im2col columns, estimated from the network's shapes). A larger batch is
    /// trained or evaluated as the largest one that fits (<see cref="TrainingProgress.Note"/> says so); a network whose
    /// single sample needs more is refused, naming its largest node.
    /// </summary>
    /// <value>The default is 2 GiB. At least 1 MiB.</value>
    public long BatchMemoryLimit { get; set; } = BatchMemory.DefaultBudget;

    internal void Validate()
    {
        Check(Epochs >= 1, nameof(Epochs), Epochs, "at least 1");
        Check(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
        Check(EvaluationBatchSize >= 1, nameof(EvaluationBatchSize), EvaluationBatchSize, "at least 1");
        Check(Patience >= 0, nameof(Patience), Patience, "at least 0");
        Check(MinimumImprovement is >= 0 and < 1, nameof(MinimumImprovement), MinimumImprovement, "in [0, 1)");
        Check(BatchMemoryLimit >= 1L << 20, nameof(BatchMemoryLimit), BatchMemoryLimit, "at least 1 MiB (1048576 bytes)");
        if (FrozenLayers is not null && TrainableLayers is not null)
        {
            throw new ArgumentException("TrainerOptions.FrozenLayers and TrainerOptions.TrainableLayers cannot both be set: name the layers to freeze, or the only layers to train.", nameof(TrainableLayers));
        }

        CheckNames(FrozenLayers, nameof(FrozenLayers));
        CheckNames(TrainableLayers, nameof(TrainableLayers));
    }

    /// <summary>Returns a copy that later changes to this instance (or to its name lists) do not reach.</summary>
    /// <returns>The copy.</returns>
    internal TrainerOptions Copy()
    {
        var copy = (TrainerOptions)MemberwiseClone();
        copy.FrozenLayers = FrozenLayers?.ToArray();
        copy.TrainableLayers = TrainableLayers?.ToArray();
        return copy;
    }

    private static void CheckNames(IReadOnlyList<string>? names, string option)
    {
        if (names is not null && names.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException($"TrainerOptions.{option} holds an empty layer name.", option);
        }
    }

    private static void Check(bool valid, string name, object value, string allowed)
    {
        if (!valid)
        {
            throw new ArgumentOutOfRangeException(name, value, $"TrainerOptions.{name} must be {allowed}.");
        }
    }
}
