using BenchmarkDotNet.Attributes;
using Microsoft.ML.Pruning.Criteria;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>
/// Scoring every hidden group of a network with each criterion, against one plain evaluation-mode forward pass over
/// the same calibration data in batches of 256 as the baseline. Activation criteria aim at 1.2× the baseline or less.
/// </summary>
/// <remarks>dotnet run -c Release --project bench/Microsoft.ML.Pruning.Benchmarks -- --filter '*CriteriaBenchmarks*' --job short</remarks>
[MemoryDiagnoser]
public class CriteriaBenchmarks
{
    private const int BatchSize = 256;
    private Network _network = null!;
    private Dataset _data = null!;
    private PruningGroup[] _groups = [];
    private FloatTensor _batch = null!;
    private int[] _labels = [];

    /// <summary>Gets or sets the network: an MLP 784-300-100-10 or a LeNet-5-like CNN on 1×28×28.</summary>
    [Params("mlp", "lenet")]
    public string Model { get; set; } = "mlp";

    /// <summary>Builds the network, 2,048 random calibration samples and the groups.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _network = Model == "mlp"
            ? new NetworkBuilder(784).Dense(300).Relu().Dense(100).Relu().Dense(10).Build(seed: 1)
            : new NetworkBuilder(1, 28, 28).Conv2d(6, 5, padding: 2).Relu().MaxPool2d(2).Conv2d(16, 5).Relu().MaxPool2d(2)
                .Flatten().Dense(120).Relu().Dense(84).Relu().Dense(10).Build(seed: 1);
        var random = new Random(2);
        int count = 2048;
        var features = new float[count * _network.InputShape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = (float)random.NextDouble();
        }

        _data = Dataset.FromArray(features, _network.InputShape, Enumerable.Range(0, count).Select(i => i % 10).ToArray(), 10);
        var nodes = _network.Nodes;
        _groups = nodes.Where(n => n.Layer is Dense or Conv2d && n.Index + 1 < nodes.Count && nodes[n.Index + 1].Layer is Relu)
            .Select(n => new PruningGroup(n.Layer.Name, n.Layer is Conv2d ? UnitKind.Filter : UnitKind.Neuron, [n], nodes[n.Index + 1], n.OutputShape[0]))
            .ToArray();
        _batch = new FloatTensor([BatchSize, .. _network.InputShape]);
        _labels = new int[BatchSize];
    }

    /// <summary>The baseline: one evaluation-mode forward pass over the calibration data.</summary>
    [Benchmark(Baseline = true)]
    public void ForwardPass()
    {
        var indices = new int[BatchSize];
        for (int start = 0; start < _data.Count; start += BatchSize)
        {
            int size = Math.Min(BatchSize, _data.Count - start);
            for (int i = 0; i < size; i++)
            {
                indices[i] = start + i;
            }

            _data.CopyBatch(indices.AsSpan(0, size), _batch, _labels);
            _network.Forward(_batch, training: false);
        }
    }

    /// <summary>APoZ of every group.</summary>
    /// <returns>The scores.</returns>
    [Benchmark]
    public IReadOnlyList<float[]> Apoz() => new ApozImportance(BatchSize).Score(_network, _groups, _data);

    /// <summary>Distinctiveness of every group.</summary>
    /// <returns>The scores.</returns>
    [Benchmark]
    public IReadOnlyList<float[]> Distinctiveness() => new DistinctivenessImportance(centering: 0, batchSize: BatchSize).Score(_network, _groups, _data);

    /// <summary>Taylor scores of every group (a forward and a backward pass per batch).</summary>
    /// <returns>The scores.</returns>
    [Benchmark]
    public IReadOnlyList<float[]> Taylor() => new TaylorImportance(batchSize: BatchSize).Score(_network, _groups, _data);

    /// <summary>L1 filter norms of every group (no data).</summary>
    /// <returns>The scores.</returns>
    [Benchmark]
    public IReadOnlyList<float[]> WeightNorm() => new WeightNormImportance().Score(_network, _groups, null);
}
