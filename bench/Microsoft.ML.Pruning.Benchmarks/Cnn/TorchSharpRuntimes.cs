using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;
using Microsoft.ML.Pruning.TorchSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.Benchmarks.Cnn;

/// <summary>Raw TorchSharp (libtorch 2.10) on the same graph (<see cref="TorchSharpGraph"/>): training with SGD, or inference under no_grad.</summary>
internal sealed class TorchSharpRuntime : Runtime
{
    private readonly TorchSharpGraph _graph;
    private readonly Tensor _input;
    private readonly Tensor _labels;
    private readonly optim.Optimizer? _optimizer;
    private readonly int _batch;

    public TorchSharpRuntime(Network network, CnnData data, bool training)
    {
        _graph = new TorchSharpGraph(network);
        _input = tensor(data.Input.Span.ToArray(), data.Input.Shape.Select(d => (long)d).ToArray());
        _labels = tensor(data.Labels.Select(l => (long)l).ToArray());
        _optimizer = training ? optim.SGD(_graph.Parameters, 1e-4) : null;
        _batch = data.Batch;
    }

    public override string Name => "TorchSharp";

    public override int ImagesPerStep => _batch;

    protected override void Step()
    {
        using var scope = NewDisposeScope();
        if (_optimizer is null)
        {
            using var noGrad = no_grad();
            _graph.Forward(_input);
            return;
        }

        _optimizer.zero_grad();
        nn.functional.cross_entropy(_graph.Forward(_input), _labels).backward();
        _optimizer.step();
    }

    public override void Dispose()
    {
        _graph.Dispose();
        _input.Dispose();
        _labels.Dispose();
        _optimizer?.Dispose();
    }
}

/// <summary>
/// This library's TorchSharp backend: <see cref="Trainer.Fit"/> with <see cref="TrainerOptions.Backend"/> set, on an
/// in-memory <see cref="Dataset"/> of the cell's batch repeated. One round is one fit of one epoch over at least four
/// batches, so the per-fit conversion to libtorch counts as a user would see it.
/// </summary>
internal sealed class BackendRuntime : Runtime
{
    private readonly Network _network;
    private readonly CnnData _data;
    private Dataset? _dataset;
    private int _datasetSteps;

    public BackendRuntime(Network network, CnnData data)
    {
        _network = network;
        _data = data;
    }

    public override string Name => "backend";

    public override int ImagesPerStep => _data.Batch;

    public override Sample Round(int steps)
    {
        steps = Math.Max(steps, 4);
        if (_dataset is null || _datasetSteps != steps)
        {
            var features = new float[steps * _data.Input.Length];
            var labels = new int[steps * _data.Batch];
            for (int s = 0; s < steps; s++)
            {
                _data.Input.Span.CopyTo(features.AsSpan(s * _data.Input.Length));
                _data.Labels.CopyTo(labels, s * _data.Batch);
            }

            _dataset = Dataset.FromArray(features, _data.SampleShape, labels, _data.Classes);
            _datasetSteps = steps;
        }

        var sample = base.Round(1);
        return sample with { Images = steps * _data.Batch };
    }

    protected override void Step() => Fit(_network, _dataset!, _data.Batch, Threads);

    /// <summary>The one place the benchmark calls the backend through the public training API.</summary>
    private static void Fit(Network network, Dataset data, int batch, int threads)
    {
        using var scope = ComputeSettings.UseDegreeOfParallelism(threads);
        var options = new TrainerOptions
        {
            Epochs = 1,
            BatchSize = batch,
            Optimizer = new SgdOptimizer(1e-4f),
            KeepBestCheckpoint = false,
            Backend = new TorchSharpBackend(),
        };
        new Trainer(options).Fit(network, data);
    }
}
