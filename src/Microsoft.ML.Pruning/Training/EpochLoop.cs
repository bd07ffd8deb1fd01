using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Training;

/// <summary>
/// The one epoch loop of <see cref="Trainer.Fit"/>, over any <see cref="ITrainingSession"/>: per-epoch learning rate,
/// seeded batches, evaluation, best epoch, patience, cancellation, progress and divergence. The session keeps one
/// checkpoint: the starting weights, then those of the best epoch (or of the last completed one without
/// <see cref="TrainerOptions.KeepBestCheckpoint"/> when the fit can be cancelled), which is what cancellation and
/// divergence restore.
/// </summary>
internal sealed class EpochLoop
{
    private readonly TrainerOptions _options;
    private readonly ITrainingSession _session;
    private readonly IBatchSource _training;
    private readonly IBatchSource? _validation;
    private readonly int _evaluationBatchSize;
    private readonly float _baseRate;
    private readonly IProgress<TrainingProgress>? _progress;
    private readonly CancellationToken _cancellationToken;
    private readonly FloatTensor _features;
    private readonly int[] _labels;
    private long? _rows;

    public EpochLoop(TrainerOptions options, ITrainingSession session, IBatchSource training, IBatchSource? validation, int batchSize, int evaluationBatchSize,
        float baseRate, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        _options = options;
        _session = session;
        _training = training;
        _validation = validation;
        _evaluationBatchSize = evaluationBatchSize;
        _baseRate = baseRate;
        _progress = progress;
        _cancellationToken = cancellationToken;
        _rows = training.RowCount;
        _features = new FloatTensor([batchSize, .. training.SampleShape]);
        _labels = new int[batchSize];
    }

    private int BatchesPerEpoch => _rows is { } rows ? (int)((rows + _labels.Length - 1) / _labels.Length) : 0;

    /// <summary>Runs the epochs and leaves the chosen weights in the network.</summary>
    /// <param name="note">Why the batch is smaller than asked for, to report before training, or <see langword="null"/>.</param>
    /// <returns>The history and outcome.</returns>
    public TrainingResult Run(string? note)
    {
        var watch = Stopwatch.StartNew();
        if (note is not null)
        {
            _progress?.Report(new TrainingProgress(0, _options.Epochs, 0, BatchesPerEpoch, float.NaN, null) { Note = note });
        }

        var history = new List<EpochMetrics>();
        int bestEpoch = -1, sinceImprovement = 0;
        float bestAccuracy = float.NaN;
        bool stoppedEarly = false, cancelled = false;
        _session.TrySaveCheckpoint();
        for (int epoch = 0; epoch < _options.Epochs && !stoppedEarly; epoch++)
        {
            float rate = _options.LearningRateSchedule?.GetRate(_baseRate, epoch, _options.Epochs) ?? _baseRate;
            _session.SetLearningRate(rate);
            var epochWatch = Stopwatch.StartNew();
            var (loss, accuracy, completed) = RunEpochKeepingTheBest(epoch, rate);
            double seconds = epochWatch.Elapsed.TotalSeconds;
            if (!completed)
            {
                cancelled = true;
                _session.RestoreCheckpoint();
                break;
            }

            EvaluationResult? evaluation;
            try
            {
                accuracy = _options.EvaluateTrainingSet ? Evaluate(_training).Accuracy : accuracy;
                evaluation = _validation is null ? null : Evaluate(_validation);
            }
            catch (DataRowException)
            {
                KeepTheBest();
                throw;
            }
            catch (OperationCanceledException) when (_cancellationToken.IsCancellationRequested)
            {
                // An epoch counts as completed once it is evaluated.
                cancelled = true;
                _session.RestoreCheckpoint();
                break;
            }

            if (evaluation is { Loss: var validationLoss } && !float.IsFinite(validationLoss))
            {
                throw Diverged($"the validation loss after epoch {epoch + 1} is {FiniteValues.Describe(validationLoss)}", rate, validationLoss);
            }

            var metrics = new EpochMetrics(epoch, rate, loss, accuracy,
                evaluation?.Loss ?? float.NaN, evaluation?.Accuracy ?? float.NaN, seconds, _rows!.Value / seconds);
            history.Add(metrics);
            bool improved = bestEpoch < 0 || metrics.MonitoredAccuracy > bestAccuracy + _options.MinimumImprovement;
            if (improved)
            {
                bestAccuracy = metrics.MonitoredAccuracy;
                bestEpoch = epoch;
                sinceImprovement = 0;
            }
            else if (_options.Patience > 0 && ++sinceImprovement >= _options.Patience)
            {
                stoppedEarly = true;
            }

            bool keepsThisEpoch = _options.KeepBestCheckpoint
                ? improved
                : _cancellationToken.CanBeCanceled && epoch + 1 < _options.Epochs && !stoppedEarly;
            if (keepsThisEpoch && !_session.TrySaveCheckpoint())
            {
                throw Diverged($"a weight is not finite after epoch {epoch + 1}", rate, float.NaN);
            }

            _progress?.Report(new TrainingProgress(epoch, _options.Epochs, BatchesPerEpoch, BatchesPerEpoch, loss, metrics));
        }

        if (_options.KeepBestCheckpoint && !cancelled)
        {
            _session.RestoreCheckpoint();
        }
        else if (!cancelled && !_session.TrySaveCheckpoint())
        {
            // The last epoch's weights are the result, and its last step made one of them non-finite.
            throw Diverged($"a weight is not finite after the last epoch", history[^1].LearningRate, float.NaN);
        }

        _session.CopyToNetwork();
        return new TrainingResult(history, bestEpoch, bestAccuracy, stoppedEarly, cancelled, watch.Elapsed) { BatchSize = _labels.Length };
    }

    /// <summary>Runs an epoch; a row that cannot be read leaves the network at the kept weights, as a divergence does.</summary>
    private (float Loss, float Accuracy, bool Completed) RunEpochKeepingTheBest(int epoch, float rate)
    {
        try
        {
            return RunEpoch(epoch, rate);
        }
        catch (DataRowException)
        {
            KeepTheBest();
            throw;
        }
    }

    private void KeepTheBest()
    {
        _session.RestoreCheckpoint();
        _session.CopyToNetwork();
    }

    private (float Loss, float Accuracy, bool Completed) RunEpoch(int epoch, float rate)
    {
        double totalLoss = 0;
        long correct = 0, seen = 0;
        int done = 0;
        using var reader = _training.OpenReader(BatchOrder.Shuffled(_options.Seed, epoch));
        while (true)
        {
            if (_cancellationToken.IsCancellationRequested)
            {
                return (float.NaN, float.NaN, false);
            }

            int count;
            try
            {
                count = reader.Read(_features, _labels, _cancellationToken);
            }
            catch (OperationCanceledException) when (_cancellationToken.IsCancellationRequested)
            {
                return (float.NaN, float.NaN, false);
            }

            if (count == 0)
            {
                break;
            }

            var outcome = _session.TrainBatch(_features, _labels.AsSpan(0, count));
            done++;
            if (!float.IsFinite(outcome.Loss))
            {
                throw Diverged($"the training loss of batch {done} of epoch {epoch + 1} is {FiniteValues.Describe(outcome.Loss)}", rate, outcome.Loss);
            }

            totalLoss += outcome.Loss * (double)count;
            correct += outcome.Correct;
            seen += count;
            _progress?.Report(new TrainingProgress(epoch, _options.Epochs, done, BatchesPerEpoch, (float)(totalLoss / seen), null));
        }

        if (seen == 0)
        {
            throw new ArgumentException("The training data is empty.", "training");
        }

        _rows ??= seen;
        return ((float)(totalLoss / seen), (float)correct / seen, true);
    }

    private EvaluationResult Evaluate(IBatchSource data) =>
        Evaluator.Run(data, _evaluationBatchSize, _session.EvaluateBatch, _cancellationToken);

    /// <summary>Puts the kept weights back, writes them into the network, and describes the divergence.</summary>
    private NotFiniteNumberException Diverged(string what, float rate, float value)
    {
        KeepTheBest();
        return new NotFiniteNumberException(string.Create(CultureInfo.InvariantCulture,
            $"Training diverged: {what} at learning rate {rate:G6}. Lower the learning rate, or check the data for extreme values. The network holds the starting weights or those of the best epoch so far."), value);
    }
}
