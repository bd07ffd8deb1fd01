using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// Keeps the channels [start, start + count) of the first per-sample axis; an ONNX Split or Slice on the channels becomes
/// one such layer per output (ShuffleNetV2's channel split).
/// </summary>
public sealed class ChannelSlice : UnaryLayer
{
    private FloatTensor? _output;
    private FloatTensor? _inputGradient;
    private int[] _inputShape = [];

    /// <summary>Creates the layer.</summary>
    /// <param name="start">The first channel kept.</param>
    /// <param name="count">The number of channels kept, at least 1.</param>
    /// <param name="name">The layer's name.</param>
    public ChannelSlice(int start, int count, string? name = null)
        : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Start = start;
        Count = count;
    }

    /// <summary>Gets the first channel kept.</summary>
    public int Start { get; private set; }

    /// <summary>Gets the number of channels kept.</summary>
    public int Count { get; private set; }

    /// <inheritdoc/>
    public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        var shape = SingleInput(inputShapes);
        if (Start + Count > shape[0])
        {
            throw ShapeError($"channels [{Start}, {Start + Count}) do not fit input {FloatTensor.FormatShape(shape)}.");
        }

        var output = (int[])shape.Clone();
        output[0] = Count;
        return output;
    }

    /// <summary>Sets the kept range after structural pruning changed the channels before it.</summary>
    /// <param name="start">The first channel kept.</param>
    /// <param name="count">The number of channels kept, at least 1.</param>
    internal void SetRange(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Start = start;
        Count = count;
    }

    /// <inheritdoc/>
    public override FloatTensor Forward(FloatTensor input, bool training)
    {
        var perSample = GetOutputShape([input.Shape[1..]]);
        int batch = input.Dim(0), plane = FloatTensor.ComputeLength(input.Shape.AsSpan(2)), inLength = input.Dim(1) * plane;
        var output = Ensure(ref _output, WithBatch(batch, perSample));
        int outLength = Count * plane;
        for (int n = 0; n < batch; n++)
        {
            input.Span.Slice((n * inLength) + (Start * plane), outLength).CopyTo(output.Span.Slice(n * outLength, outLength));
        }

        _inputShape = input.Shape;
        return output;
    }

    /// <inheritdoc/>
    protected override FloatTensor? BackwardCore(FloatTensor outputGradient)
    {
        if (!ComputeInputGradient)
        {
            return null;
        }

        var gradient = Ensure(ref _inputGradient, _inputShape);
        gradient.Clear();
        int batch = _inputShape[0], plane = FloatTensor.ComputeLength(_inputShape.AsSpan(2)), inLength = _inputShape[1] * plane, outLength = Count * plane;
        for (int n = 0; n < batch; n++)
        {
            outputGradient.Span.Slice(n * outLength, outLength).CopyTo(gradient.Span.Slice((n * inLength) + (Start * plane), outLength));
        }

        return gradient;
    }
}
