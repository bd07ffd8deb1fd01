using System.Diagnostics;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Training;

/// <summary>
/// Trains a network on mini-batches shuffled with a seed, evaluates after each epoch, stops early on a plateau, keeps
/// the best checkpoint, reports progress and honours cancellation. The same seed and
/// <see cref="ComputeSettings.DegreeOfParallelism"/> give bit-identical weights.
/// </summary>
public sealed class Trainer
{
    private readonly TrainerOptions _options;
    private readonly Optimizer _optimizer;
    private readonly Loss _loss;
    private readonly float _baseRate;

    /// <summary>Creates a trainer.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public Trainer(TrainerOptions? options = null)
    {
        _options = options ?? new TrainerOptions();
        _options.Validate();
        _optimizer = _options.Optimizer ?? new AdamOptimizer();
        _loss = _options.Loss ?? new SoftmaxCrossEntropyLoss();
        _baseRate = _optimizer.LearningRate;
    }

    /// <summary>Trains <paramref name="network"/> in place.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="training">The training data.</param>
    /// <param name="validation">Data to evaluate after each epoch; the monitored accuracy is measured on it when given.</param>
    /// <param name="progress">Receives a report after each batch and each epoch.</param>
    /// <param name="cancellationToken">
    /// Stops training between batches. The network then holds the weights of the best completed epoch (of the last one
    /// without <see cref="TrainerOptions.KeepBestCheckpoint"/>), or the weights it started with when no epoch completed;
    /// never the half-updated weights of the interrupted epoch.
    /// </param>
    /// <returns>The history and outcome.</returns>
    public TrainingResult Fit(Network network, Dataset training, Dataset? validation = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(training);
        if (training.Count == 0)
        {
            throw new ArgumentException("The training data is empty.", nameof(training));
        }

        Evaluator.CheckCompatible(network, training);
        if (validation is not null)
        {
            Evaluator.CheckCompatible(network, validation);
        }

        if (_options.Backend is { } backend)
        {
            return backend.Fit(network, training, validation, _options, progress, cancellationToken);
        }

        var watch = Stopwatch.StartNew();
        var history = new List<EpochMetrics>();
        var random = new Random(_options.Seed);
        var order = Enumerable.Range(0, training.Count).ToArray();
        var batch = new Batch(_options.BatchSize, training.SampleShape);
        // What a cancelled run returns: the starting weights until an epoch completes, then the best (or the last) epoch's.
        var restorePoint = cancellationToken.CanBeCanceled ? NetworkCheckpoint.Capture(network) : null;
        NetworkCheckpoint? best = null;
        int bestEpoch = -1, sinceImprovement = 0;
        float bestAccuracy = float.NaN;
        bool stoppedEarly = false, cancelled = false;

        for (int epoch = 0; epoch < _options.Epochs && !stoppedEarly; epoch++)
        {
            if (_options.LearningRateSchedule is { } schedule)
            {
                _optimizer.LearningRate = schedule.GetRate(_baseRate, epoch, _options.Epochs);
            }

            random.Shuffle(order);
            var epochWatch = Stopwatch.StartNew();
            var (loss, accuracy, completed) = RunEpoch(network, training, order, batch, epoch, progress, cancellationToken);
            double seconds = epochWatch.Elapsed.TotalSeconds;
            if (!completed)
            {
                cancelled = true;
                restorePoint?.Restore(network);
                break;
            }

            if (_options.EvaluateTrainingSet)
            {
                accuracy = Evaluator.Evaluate(network, training, _loss, _options.EvaluationBatchSize).Accuracy;
            }

            var evaluation = validation is null ? null : Evaluator.Evaluate(network, validation, _loss, _options.EvaluationBatchSize);
            var metrics = new EpochMetrics(epoch, _optimizer.LearningRate, loss, accuracy,
                evaluation?.Loss ?? float.NaN, evaluation?.Accuracy ?? float.NaN, seconds, training.Count / seconds);
            history.Add(metrics);

            if (bestEpoch < 0 || metrics.MonitoredAccuracy > bestAccuracy + _options.MinimumImprovement)
            {
                bestAccuracy = metrics.MonitoredAccuracy;
                bestEpoch = epoch;
                sinceImprovement = 0;
                best = _options.KeepBestCheckpoint ? NetworkCheckpoint.Capture(network) : null;
                restorePoint = best ?? restorePoint;
            }
            else if (_options.Patience > 0 && ++sinceImprovement >= _options.Patience)
            {
                stoppedEarly = true;
            }

            if (!_options.KeepBestCheckpoint && cancellationToken.CanBeCanceled && epoch + 1 < _options.Epochs && !stoppedEarly)
            {
                restorePoint = NetworkCheckpoint.Capture(network);
            }

            int batches = batch.PerEpoch(training.Count);
            progress?.Report(new TrainingProgress(epoch, _options.Epochs, batches, batches, loss, metrics));
        }

        best?.Restore(network);
        return new TrainingResult(history, bestEpoch, bestAccuracy, stoppedEarly, cancelled, watch.Elapsed);
    }

    private (float Loss, float Accuracy, bool Completed) RunEpoch(
        Network network, Dataset training, int[] order, Batch batch, int epoch, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        double totalLoss = 0;
        int correct = 0, batches = batch.PerEpoch(training.Count), done = 0;
        var parameters = network.Parameters.ToArray();
        int scored = _loss.ScoredNode(network);
        for (int start = 0; start < training.Count; start += batch.Size)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return (float.NaN, float.NaN, false);
            }

            int count = Math.Min(batch.Size, training.Count - start);
            var labels = batch.Labels.AsSpan(0, count);
            training.CopyBatch(order.AsSpan(start, count), batch.Features, labels);
            network.Forward(batch.Features, training: true);
            var output = network.OutputOf(scored)!;
            totalLoss += _loss.Compute(output, labels, batch.Gradient) * (double)count;
            correct += Evaluator.CountCorrect(output, labels);
            network.BackwardFrom(batch.Gradient, scored);
            _optimizer.Step(parameters);
            done++;
            progress?.Report(new TrainingProgress(epoch, _options.Epochs, done, batches, (float)(totalLoss / (start + count)), null));
        }

        return ((float)(totalLoss / training.Count), (float)correct / training.Count, true);
    }

    private sealed class Batch(int size, int[] sampleShape)
    {
        public int Size { get; } = size;

        public FloatTensor Features { get; } = new([size, .. sampleShape]);

        public int[] Labels { get; } = new int[size];

        public FloatTensor Gradient { get; } = new(size, 1);

        public int PerEpoch(int count) => (count + Size - 1) / Size;
    }
}
