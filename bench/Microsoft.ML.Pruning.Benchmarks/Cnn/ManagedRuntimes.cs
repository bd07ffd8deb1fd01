using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Benchmarks.Cnn;

/// <summary>This library's managed engine: training (forward, softmax cross-entropy, backward, SGD step) or inference.</summary>
internal sealed class ManagedRuntime : Runtime
{
    private readonly Network _network;
    private readonly FloatTensor _input;
    private readonly FloatTensor _small;
    private readonly int[] _labels;
    private readonly bool _training;
    private readonly SoftmaxCrossEntropyLoss _loss = new();
    private readonly SgdOptimizer _optimizer = new(1e-4f);
    private FloatTensor? _gradient;

    public ManagedRuntime(Network network, CnnData data, bool training, string name = "ours")
    {
        _network = network;
        _input = data.Input;
        _small = data.Slice(Math.Min(2, data.Batch));
        _labels = data.Labels;
        _training = training;
        Name = name;
    }

    public override string Name { get; }

    public override int ImagesPerStep => _input.Dim(0);

    protected override void JitWarmUp()
    {
        // Tier-1 code needs 30 calls of each method; a layer's passes run once per step, so warm them on a 2-image batch.
        for (int i = 0; i < 32; i++)
        {
            Run(_small, _labels.AsSpan(0, _small.Dim(0)));
        }
    }

    protected override void Step() => Run(_input, _labels);

    private void Run(FloatTensor input, ReadOnlySpan<int> labels)
    {
        var output = _network.Forward(input, _training);
        if (!_training)
        {
            return;
        }

        if (_gradient is null || !_gradient.HasShape(output.Shape))
        {
            _gradient = new FloatTensor(output.Shape);
        }

        _loss.Compute(output, labels, _gradient);
        _network.Backward(_gradient);
        _optimizer.Step(_network.Parameters);
    }
}

/// <summary>The synthetic batch of a cell: uniform values in [-1, 1] and random labels, the same for every runtime.</summary>
internal sealed class CnnData
{
    public CnnData(int[] sampleShape, int batch, int classes)
    {
        var random = new Random(1);
        Input = new FloatTensor([batch, .. sampleShape]);
        foreach (ref float v in Input.Span)
        {
            v = (random.NextSingle() * 2) - 1;
        }

        Labels = Enumerable.Range(0, batch).Select(_ => random.Next(classes)).ToArray();
        Classes = classes;
    }

    public FloatTensor Input { get; }

    public int[] Labels { get; }

    public int Classes { get; }

    public int Batch => Input.Dim(0);

    public int[] SampleShape => Input.Shape[1..];

    /// <summary>Returns the first <paramref name="count"/> samples as a new tensor.</summary>
    public FloatTensor Slice(int count) => FloatTensor.FromValues(Input.Span[..(count * (Input.Length / Batch))], [count, .. SampleShape]);
}
