using System.Diagnostics;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp;

/// <summary>
/// One fit on libtorch: the managed <see cref="Trainer"/>'s loop (seeded shuffle, per-epoch learning rate, evaluation,
/// early stop, best checkpoint, progress, cancellation) around TorchSharp forward, backward and optimizer steps. Every
/// batch runs in its own <see cref="DisposeScope"/>; the run owns the converted network, the optimizer and the buffers.
/// </summary>
internal sealed class TorchTrainingRun : IDisposable
{
    private readonly Network _network;
    private readonly Dataset _training;
    private readonly TrainerOptions _options;
    private readonly Training.Optimizer _managedOptimizer;
    private readonly Loss _managedLoss;
    private readonly TorchNetwork _torch;
    private readonly optim.Optimizer _optimizer;
    private readonly Func<Tensor, Tensor, Tensor> _loss;
    private readonly Tensor?[] _masks;
    private readonly BatchBuffer _batch;

    public TorchTrainingRun(Network network, Dataset training, TrainerOptions options, Device device)
    {
        _network = network;
        _training = training;
        _options = options;
        _managedOptimizer = options.Optimizer ?? new AdamOptimizer();
        _managedLoss = options.Loss ?? new SoftmaxCrossEntropyLoss();
        _loss = TorchObjective.Loss(_managedLoss, training.ClassCount);
        _torch = new TorchNetwork(network, device, options.Seed);
        try
        {
            _optimizer = TorchObjective.Optimizer(_managedOptimizer, _torch.Parameters.Select(p => (global::TorchSharp.Modules.Parameter)p.Torch));
            _masks = _torch.Parameters.Select(p => p.Managed.Mask is { } mask ? TensorCopy.ToTorch(mask, device).DetachFromDisposeScope() : null).ToArray();
            _batch = new BatchBuffer(training, options.BatchSize, device);
        }
        catch
        {
            _torch.Dispose();
            throw;
        }

        _torch.ApplyMasks(_masks);
    }

    public TrainingResult Fit(Dataset? validation, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var history = new List<EpochMetrics>();
        var random = new Random(_options.Seed);
        var order = Enumerable.Range(0, _training.Count).ToArray();
        float baseRate = _managedOptimizer.LearningRate, rate = baseRate;
        int bestEpoch = -1, sinceImprovement = 0, batches = (_training.Count + _options.BatchSize - 1) / _options.BatchSize;
        float bestAccuracy = float.NaN;
        bool stoppedEarly = false, cancelled = false, networkHoldsBest = false;
        for (int epoch = 0; epoch < _options.Epochs && !stoppedEarly; epoch++)
        {
            if (_options.LearningRateSchedule is { } schedule)
            {
                rate = schedule.GetRate(baseRate, epoch, _options.Epochs);
                TorchObjective.SetLearningRate(_optimizer, rate);
            }

            random.Shuffle(order);
            var epochWatch = Stopwatch.StartNew();
            var (loss, accuracy, completed) = RunEpoch(order, epoch, batches, progress, cancellationToken);
            double seconds = epochWatch.Elapsed.TotalSeconds;
            if (!completed)
            {
                cancelled = true;
                break;
            }

            if (_options.EvaluateTrainingSet)
            {
                accuracy = Evaluate(_training).Accuracy;
            }

            var evaluation = validation is null ? ((float Accuracy, float Loss)?)null : Evaluate(validation);
            var metrics = new EpochMetrics(epoch, rate, loss, accuracy,
                evaluation?.Loss ?? float.NaN, evaluation?.Accuracy ?? float.NaN, seconds, _training.Count / seconds);
            history.Add(metrics);
            if (bestEpoch < 0 || metrics.MonitoredAccuracy > bestAccuracy + _options.MinimumImprovement)
            {
                bestAccuracy = metrics.MonitoredAccuracy;
                bestEpoch = epoch;
                sinceImprovement = 0;
                if (_options.KeepBestCheckpoint)
                {
                    _torch.CopyTo();
                    networkHoldsBest = true;
                }
            }
            else if (_options.Patience > 0 && ++sinceImprovement >= _options.Patience)
            {
                stoppedEarly = true;
            }

            progress?.Report(new TrainingProgress(epoch, _options.Epochs, batches, batches, loss, metrics));
        }

        if (!networkHoldsBest)
        {
            _torch.CopyTo();
        }

        return new TrainingResult(history, bestEpoch, bestAccuracy, stoppedEarly, cancelled, watch.Elapsed);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _batch.Dispose();
        _optimizer.Dispose();
        foreach (var mask in _masks)
        {
            mask?.Dispose();
        }

        _torch.Dispose();
    }

    private (float Loss, float Accuracy, bool Completed) RunEpoch(
        int[] order, int epoch, int batches, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        // The sums stay on the device, so that a run without progress reports synchronizes once per epoch, not per batch.
        using var totalLoss = zeros(1, ScalarType.Float64, _torch.Device);
        using var correct = zeros(1, ScalarType.Int64, _torch.Device);
        int done = 0;
        for (int start = 0; start < _training.Count; start += _batch.Size)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return (float.NaN, float.NaN, false);
            }

            int count = Math.Min(_batch.Size, _training.Count - start);
            using (NewDisposeScope())
            {
                var (features, labels) = _batch.Load(order.AsSpan(start, count));
                _optimizer.zero_grad();
                var output = _torch.Forward(features, training: true);
                var loss = _loss(output, labels);
                loss.backward();
                MaskGradients();
                _optimizer.step();
                _torch.ApplyMasks(_masks);
                using (no_grad())
                {
                    totalLoss.add_(loss.detach().to(ScalarType.Float64) * count);
                    correct.add_(output.argmax(1).eq(labels).sum());
                }
            }

            done++;
            if (progress is not null)
            {
                progress.Report(new TrainingProgress(epoch, _options.Epochs, done, batches, (float)(totalLoss.item<double>() / (start + count)), null));
            }
        }

        return ((float)(totalLoss.item<double>() / _training.Count), (float)correct.item<long>() / _training.Count, true);
    }

    private void MaskGradients()
    {
        using var noGrad = no_grad();
        for (int i = 0; i < _masks.Length; i++)
        {
            if (_masks[i] is { } mask && _torch.Parameters[i].Torch.grad is { } gradient)
            {
                gradient.mul_(mask);
            }
        }
    }

    private (float Accuracy, float Loss) Evaluate(Dataset data)
    {
        using var evaluationBatch = new BatchBuffer(data, _options.EvaluationBatchSize, _torch.Device);
        using var noGrad = no_grad();
        double totalLoss = 0;
        long correct = 0;
        var indices = new int[evaluationBatch.Size];
        for (int start = 0; start < data.Count; start += evaluationBatch.Size)
        {
            int count = Math.Min(evaluationBatch.Size, data.Count - start);
            for (int i = 0; i < count; i++)
            {
                indices[i] = start + i;
            }

            using var scope = NewDisposeScope();
            var (features, labels) = evaluationBatch.Load(indices.AsSpan(0, count));
            var output = _torch.Forward(features, training: false);
            totalLoss += _loss(output, labels).item<float>() * (double)count;
            correct += output.argmax(1).eq(labels).sum().item<long>();
        }

        return ((float)correct / data.Count, (float)(totalLoss / data.Count));
    }
}
