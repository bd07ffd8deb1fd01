using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// Concatenates its inputs along the first per-sample axis (the channels of [C, H, W], the features of [F]); the other
/// per-sample dimensions must agree. Input k's channels land at the output range that follows inputs 0..k-1's
/// (DenseNet, SqueezeNet, GoogLeNet, ShuffleNet).
/// </summary>
public sealed class Concat : Layer
{
    private readonly FloatTensor?[] _inputGradients;
    private FloatTensor? _output;
    private int[][] _inputShapes = [];

    /// <summary>Creates the layer.</summary>
    /// <param name="inputCount">The number of inputs, at least 1.</param>
    /// <param name="name">The layer's name.</param>
    public Concat(int inputCount, string? name = null)
        : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputCount, 1);
        InputCount = inputCount;
        _inputGradients = new FloatTensor?[inputCount];
    }

    /// <inheritdoc/>
    public override int InputCount { get; }

    /// <inheritdoc/>
    public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        if (inputShapes.Count != InputCount)
        {
            throw ShapeError($"expects {InputCount} inputs, got {inputShapes.Count}.");
        }

        var first = inputShapes[0];
        int channels = 0;
        foreach (var shape in inputShapes)
        {
            if (shape.Length != first.Length || !shape.AsSpan(1).SequenceEqual(first.AsSpan(1)))
            {
                throw ShapeError($"inputs {FloatTensor.FormatShape(first)} and {FloatTensor.FormatShape(shape)} differ beyond the first per-sample axis.");
            }

            channels += shape[0];
        }

        var output = (int[])first.Clone();
        output[0] = channels;
        return output;
    }

    /// <inheritdoc/>
    public override FloatTensor Forward(IReadOnlyList<FloatTensor> inputs, bool training)
    {
        if (inputs.Count != InputCount)
        {
            throw ShapeError($"expects {InputCount} inputs, got {inputs.Count}.");
        }

        int batch = inputs[0].Dim(0);
        var perSample = GetOutputShape(inputs.Select(t => t.Shape[1..]).ToArray());
        var shape = WithBatch(batch, perSample);
        if (_output is null)
        {
            _output = new FloatTensor(shape);
        }
        else if (!_output.HasShape(shape))
        {
            _output.Resize(shape);
        }

        int sampleLength = _output.Length / Math.Max(batch, 1), offset = 0;
        foreach (var input in inputs)
        {
            if (input.Dim(0) != batch)
            {
                throw ShapeError("expects inputs with the same batch size.");
            }

            int length = input.Length / Math.Max(batch, 1);
            for (int n = 0; n < batch; n++)
            {
                input.Span.Slice(n * length, length).CopyTo(_output.Span.Slice((n * sampleLength) + offset, length));
            }

            offset += length;
        }

        _inputShapes = inputs.Select(t => t.Shape).ToArray();
        return _output;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<FloatTensor?> Backward(FloatTensor outputGradient)
    {
        if (_inputShapes.Length != InputCount)
        {
            throw new InvalidOperationException($"Layer '{Name}': Backward needs a preceding training Forward.");
        }

        int batch = outputGradient.Dim(0), sampleLength = outputGradient.Length / Math.Max(batch, 1), offset = 0;
        for (int k = 0; k < InputCount; k++)
        {
            var shape = _inputShapes[k];
            var gradient = _inputGradients[k] ??= new FloatTensor(shape);
            if (!gradient.HasShape(shape))
            {
                gradient.Resize(shape);
            }

            int length = gradient.Length / Math.Max(batch, 1);
            if (ComputeInputGradient)
            {
                for (int n = 0; n < batch; n++)
                {
                    outputGradient.Span.Slice((n * sampleLength) + offset, length).CopyTo(gradient.Span.Slice(n * length, length));
                }
            }

            offset += length;
        }

        return ComputeInputGradient ? _inputGradients : new FloatTensor?[InputCount];
    }

    private static int[] WithBatch(int batch, int[] shape) => [batch, .. shape];
}
