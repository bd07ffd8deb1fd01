using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Pruning;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning;

/// <summary>
/// The start of a pipeline: a model that is given, loaded (ONNX or native) or trained from a described architecture.
/// Created by <see cref="ModelCatalog"/>.
/// </summary>
public sealed class ModelEstimator : NetworkEstimator
{
    private readonly Network _network;
    private readonly ModelTrainingOptions? _training;
    private readonly string _source;

    internal ModelEstimator(PruningContext context, Network network, string source, ModelTrainingOptions? training)
        : base(context)
    {
        _network = network;
        _source = source;
        _training = training;
    }

    private protected override NetworkTransformer FitCore(FitContext context)
    {
        var network = NetworkSerializer.Clone(_network);
        bool measureLatency = _training?.MeasureLatency ?? false;
        if (_training is null)
        {
            var measured = ModelMeasurement.Measure(network, context.Validation, measureLatency, CancellationToken.None);
            var loaded = new PruningReport { Method = _source, Schedule = "none", Baseline = measured, Final = measured };
            return new NetworkTransformer(network, loaded, [loaded], false);
        }

        var (training, validation) = context.Resolve(_training.ValidationFraction, Context.Seed);
        var trainerOptions = new TrainerOptions
        {
            Epochs = _training.Epochs,
            BatchSize = _training.BatchSize,
            Seed = Context.Seed,
            Optimizer = new AdamOptimizer((float)_training.LearningRate),
            KeepBestCheckpoint = true,
        };
        var report = TrainingStep.Run(network, training, validation, trainerOptions, measureLatency, PruningPhase.Training, _source, "none", context);
        return new NetworkTransformer(network, report, [report], report.Cancelled);
    }

    private protected override (int[] Input, int[] Output) ModelShapes() => (_network.InputShape, _network.OutputShape);
}
