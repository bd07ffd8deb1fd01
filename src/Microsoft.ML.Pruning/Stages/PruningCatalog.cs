using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// The stages of this library, reached with <c>mlContext.Pruning()</c>: model sources (ONNX, a network), pruning stages,
/// fine-tuning, and schedulers around a pruning stage. Each has a simple overload and an options overload. The trainer
/// is on <c>mlContext.MulticlassClassification.Trainers.NeuralNetwork</c>.
/// </summary>
public sealed class PruningCatalog
{
    private readonly IHostEnvironment _environment;

    internal PruningCatalog(MLContext context)
    {
        _environment = context;
    }

    /// <summary>Starts from an ONNX model file (a classifier: one float input, class scores out).</summary>
    /// <param name="modelFile">The .onnx file.</param>
    /// <param name="featureColumnName">The feature column (a float vector of the model's input size).</param>
    /// <param name="labelColumnName">The label column (key or integer), used to measure the model.</param>
    /// <returns>The model stage.</returns>
    /// <exception cref="OnnxImportException">The file is not a model the engine can run (the message names the node).</exception>
    public PretrainedNetworkEstimator LoadOnnxModel(string modelFile, string featureColumnName = DefaultColumnNames.Features, string labelColumnName = DefaultColumnNames.Label) =>
        LoadOnnxModel(modelFile, new PretrainedNetworkOptions { FeatureColumnName = featureColumnName, LabelColumnName = labelColumnName });

    /// <summary>Starts from an ONNX model file, with options.</summary>
    /// <param name="modelFile">The .onnx file.</param>
    /// <param name="options">The options (copied).</param>
    /// <returns>The model stage.</returns>
    public PretrainedNetworkEstimator LoadOnnxModel(string modelFile, PretrainedNetworkOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelFile);
        return new(OnnxModel.Load(modelFile), "ONNX model " + Path.GetFileName(modelFile), Checked(options), Seed(), _environment);
    }

    /// <summary>Starts from an ONNX model read from a stream (to its end; left open).</summary>
    /// <param name="modelStream">The stream.</param>
    /// <param name="featureColumnName">The feature column.</param>
    /// <param name="labelColumnName">The label column.</param>
    /// <returns>The model stage.</returns>
    public PretrainedNetworkEstimator LoadOnnxModel(Stream modelStream, string featureColumnName = DefaultColumnNames.Features, string labelColumnName = DefaultColumnNames.Label) =>
        LoadOnnxModel(modelStream, new PretrainedNetworkOptions { FeatureColumnName = featureColumnName, LabelColumnName = labelColumnName });

    /// <summary>Starts from an ONNX model read from a stream, with options.</summary>
    /// <param name="modelStream">The stream.</param>
    /// <param name="options">The options (copied).</param>
    /// <returns>The model stage.</returns>
    public PretrainedNetworkEstimator LoadOnnxModel(Stream modelStream, PretrainedNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(modelStream);
        return new(OnnxModel.Load(modelStream, "stream"), "ONNX model", Checked(options), Seed(), _environment);
    }

    /// <summary>Starts from a trained network (copied; later changes to it do not reach the stage).</summary>
    /// <param name="network">The network.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The model stage.</returns>
    public PretrainedNetworkEstimator FromNetwork(Network network, PretrainedNetworkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new(network, "network", Checked(options ?? new PretrainedNetworkOptions()), Seed(), _environment);
    }

    /// <summary>Prunes by APoZ, once, at <paramref name="rate"/>, within an accuracy budget.</summary>
    /// <param name="rate">The fraction of units to remove, in (0, 1).</param>
    /// <param name="maximumAccuracyDrop">The largest accuracy drop allowed (0.005 is half a point).</param>
    /// <returns>The stage.</returns>
    public ApozPruningEstimator Apoz(double rate = 0.5, double maximumAccuracyDrop = 0.005) =>
        Apoz(new ApozPruningOptions { Rate = rate, MaximumAccuracyDrop = maximumAccuracyDrop });

    /// <summary>Prunes by APoZ, with options.</summary>
    /// <param name="options">The options (copied and validated).</param>
    /// <returns>The stage.</returns>
    public ApozPruningEstimator Apoz(ApozPruningOptions options) => new(Checked(options), Seed(), _environment);

    /// <summary>Zeroes the smallest weights, once, at <paramref name="rate"/>.</summary>
    /// <param name="rate">The fraction of weights to zero, in (0, 1).</param>
    /// <param name="maximumAccuracyDrop">The largest accuracy drop allowed.</param>
    /// <returns>The stage.</returns>
    public MagnitudePruningEstimator Magnitude(double rate = 0.5, double maximumAccuracyDrop = 0.005) =>
        Magnitude(new MagnitudePruningOptions { Rate = rate, MaximumAccuracyDrop = maximumAccuracyDrop });

    /// <summary>Magnitude pruning, with options.</summary>
    /// <param name="options">The options (copied and validated).</param>
    /// <returns>The stage.</returns>
    public MagnitudePruningEstimator Magnitude(MagnitudePruningOptions options) => new(Checked(options), Seed(), _environment);

    /// <summary>Removes the filters (or units) with the smallest L1 norm, once, at <paramref name="rate"/>.</summary>
    /// <param name="rate">The fraction of filters to remove, in (0, 1).</param>
    /// <param name="maximumAccuracyDrop">The largest accuracy drop allowed.</param>
    /// <returns>The stage.</returns>
    public FilterL1PruningEstimator FilterL1(double rate = 0.5, double maximumAccuracyDrop = 0.005) =>
        FilterL1(new FilterL1PruningOptions { Rate = rate, MaximumAccuracyDrop = maximumAccuracyDrop });

    /// <summary>Filter-norm pruning, with options.</summary>
    /// <param name="options">The options (copied and validated).</param>
    /// <returns>The stage.</returns>
    public FilterL1PruningEstimator FilterL1(FilterL1PruningOptions options) => new(Checked(options), Seed(), _environment);

    /// <summary>Prunes by the first-order Taylor estimate of the loss change, once, at <paramref name="rate"/>.</summary>
    /// <param name="rate">The fraction of units to remove, in (0, 1).</param>
    /// <param name="maximumAccuracyDrop">The largest accuracy drop allowed.</param>
    /// <returns>The stage.</returns>
    public TaylorPruningEstimator Taylor(double rate = 0.5, double maximumAccuracyDrop = 0.005) =>
        Taylor(new TaylorPruningOptions { Rate = rate, MaximumAccuracyDrop = maximumAccuracyDrop });

    /// <summary>Taylor pruning, with options.</summary>
    /// <param name="options">The options (copied and validated).</param>
    /// <returns>The stage.</returns>
    public TaylorPruningEstimator Taylor(TaylorPruningOptions options) => new(Checked(options), Seed(), _environment);

    /// <summary>Merges or removes units whose activations are near-duplicates or complements (angles within <paramref name="similarAngle"/> degrees of 0 or 180).</summary>
    /// <param name="similarAngle">The angle in degrees, in (0, 90).</param>
    /// <param name="maximumAccuracyDrop">The largest accuracy drop allowed.</param>
    /// <returns>The stage.</returns>
    public DistinctivenessPruningEstimator Distinctiveness(double similarAngle = 15, double maximumAccuracyDrop = 0.005) =>
        Distinctiveness(new DistinctivenessPruningOptions { SimilarAngle = similarAngle, ComplementaryAngle = 180 - similarAngle, MaximumAccuracyDrop = maximumAccuracyDrop });

    /// <summary>Distinctiveness pruning, with options.</summary>
    /// <param name="options">The options (copied and validated).</param>
    /// <returns>The stage.</returns>
    public DistinctivenessPruningEstimator Distinctiveness(DistinctivenessPruningOptions options) => new(Checked(options), Seed(), _environment);

    /// <summary>Prunes by a criterion of your own, once, at <paramref name="rate"/>.</summary>
    /// <param name="importance">The criterion.</param>
    /// <param name="rate">The fraction of units to remove, in (0, 1).</param>
    /// <param name="maximumAccuracyDrop">The largest accuracy drop allowed.</param>
    /// <returns>The stage.</returns>
    public ImportancePruningEstimator Importance(IImportance importance, double rate = 0.5, double maximumAccuracyDrop = 0.005) =>
        Importance(new ImportancePruningOptions { Importance = importance, Rate = rate, MaximumAccuracyDrop = maximumAccuracyDrop });

    /// <summary>Prunes by a criterion of your own, with options.</summary>
    /// <param name="options">The options (copied and validated; <see cref="ImportancePruningOptions.Importance"/> is required).</param>
    /// <returns>The stage.</returns>
    public ImportancePruningEstimator Importance(ImportancePruningOptions options) => new(Checked(options), Seed(), _environment);

    /// <summary>Fine-tunes the previous stage's model for <paramref name="epochs"/> epochs.</summary>
    /// <param name="epochs">The epochs, at least 1.</param>
    /// <returns>The stage.</returns>
    public FineTuningEstimator FineTune(int epochs = 2) => FineTune(new FineTuningOptions { Epochs = epochs });

    /// <summary>Fine-tuning, with options.</summary>
    /// <param name="options">The options (copied and validated).</param>
    /// <returns>The stage.</returns>
    public FineTuningEstimator FineTune(FineTuningOptions options) => new(Checked(options), Seed(), _environment);

    /// <summary>Wraps a pruning stage in the adaptive-rate scheduler.</summary>
    /// <param name="stage">The pruning stage (its criterion, budget and fine-tuning are used).</param>
    /// <param name="auxiliaryLayerUnits">The width of the auxiliary layer retrained at the end, or <see langword="null"/> for none.</param>
    /// <returns>The scheduler.</returns>
    public AdaptiveRateScheduler AdaptiveRate(PruningEstimator stage, int? auxiliaryLayerUnits = null) =>
        AdaptiveRate(stage, new AdaptiveRateSchedulerOptions { AuxiliaryLayerUnits = auxiliaryLayerUnits });

    /// <summary>Wraps a pruning stage in the adaptive-rate scheduler, with options.</summary>
    /// <param name="stage">The pruning stage.</param>
    /// <param name="options">The options (copied and validated).</param>
    /// <returns>The scheduler.</returns>
    public AdaptiveRateScheduler AdaptiveRate(PruningEstimator stage, AdaptiveRateSchedulerOptions options) => new(stage, options, _environment);

    /// <summary>Wraps a pruning stage in the fixed-rate scheduler.</summary>
    /// <param name="stage">The pruning stage.</param>
    /// <param name="rate">The fraction removed at every step, in (0, 1).</param>
    /// <returns>The scheduler.</returns>
    public FixedRateScheduler FixedRate(PruningEstimator stage, double rate = 0.2) => FixedRate(stage, new FixedRateSchedulerOptions { Rate = rate });

    /// <summary>Wraps a pruning stage in the fixed-rate scheduler, with options.</summary>
    /// <param name="stage">The pruning stage.</param>
    /// <param name="options">The options (copied and validated).</param>
    /// <returns>The scheduler.</returns>
    public FixedRateScheduler FixedRate(PruningEstimator stage, FixedRateSchedulerOptions options) => new(stage, options, _environment);

    /// <summary>Wraps a pruning stage in the polynomial (gradual) scheduler.</summary>
    /// <param name="stage">The pruning stage.</param>
    /// <param name="finalSparsity">The sparsity after the last step, in (0, 1).</param>
    /// <param name="steps">The number of steps.</param>
    /// <returns>The scheduler.</returns>
    public PolynomialScheduler Polynomial(PruningEstimator stage, double finalSparsity = 0.5, int steps = 5) =>
        Polynomial(stage, new PolynomialSchedulerOptions { FinalSparsity = finalSparsity, MaximumSteps = steps });

    /// <summary>Wraps a pruning stage in the polynomial scheduler, with options.</summary>
    /// <param name="stage">The pruning stage.</param>
    /// <param name="options">The options (copied and validated).</param>
    /// <returns>The scheduler.</returns>
    public PolynomialScheduler Polynomial(PruningEstimator stage, PolynomialSchedulerOptions options) => new(stage, options, _environment);

    /// <summary>Wraps a pruning stage in a schedule of your own.</summary>
    /// <param name="stage">The pruning stage.</param>
    /// <param name="schedule">The schedule: the next rate, or stop.</param>
    /// <param name="maximumSteps">The step limit.</param>
    /// <returns>The scheduler.</returns>
    public ScheduledPruningEstimator Schedule(PruningEstimator stage, IPruningSchedule schedule, int maximumSteps = 100) =>
        new(stage, schedule, new CustomScheduleOptions { MaximumSteps = maximumSteps }, _environment);

    private static T Checked<T>(T options)
        where T : StageOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        return options;
    }

    private int Seed() => ContextSeed.Next(_environment);
}
