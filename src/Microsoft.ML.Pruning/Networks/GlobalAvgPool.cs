using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>Averages each channel over its spatial positions: [batch, channels, height, width] to [batch, channels, 1, 1].</summary>
/// <param name="name">The layer's name.</param>
public sealed class GlobalAvgPool(string? name = null) : UnaryLayer(name)
{
    private FloatTensor? _output;
    private FloatTensor? _inputGradient;
    private int[] _inputShape = [];

    /// <inheritdoc/>
    public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        var shape = SingleInput(inputShapes, 3);
        return [shape[0], 1, 1];
    }

    /// <inheritdoc/>
    public override long CountMultiplyAdds(IReadOnlyList<int[]> inputShapes) => FloatTensor.ComputeLength(SingleInput(inputShapes, 3));

    /// <inheritdoc/>
    public override FloatTensor Forward(FloatTensor input, bool training)
    {
        if (input.Rank != 4)
        {
            throw ShapeError($"expects input [batch, channels, height, width], got {FloatTensor.FormatShape(input.Shape)}.");
        }

        _inputShape = input.Shape;
        var output = Ensure(ref _output, [input.Dim(0), input.Dim(1), 1, 1]);
        int plane = input.Dim(2) * input.Dim(3);
        int width = RowKernels.Width;
        var x = input.Span;
        var y = output.Span;
        if (plane < 8)
        {
            // Planes shorter than the narrowest vector: RowKernels.Sum's scalar tail, without a call per channel.
            for (int i = 0; i < y.Length; i++)
            {
                var values = x.Slice(i * plane, plane);
                float sum = 0;
                for (int j = 0; j < values.Length; j++)
                {
                    sum += values[j];
                }

                y[i] = sum / plane;
            }

            return output;
        }

        for (int i = 0; i < y.Length; i++)
        {
            y[i] = RowKernels.Sum(x.Slice(i * plane, plane), width) / plane;
        }

        return output;
    }

    /// <inheritdoc/>
    protected override FloatTensor? BackwardCore(FloatTensor outputGradient)
    {
        if (!ComputeInputGradient)
        {
            return null;
        }

        var inputGradient = Ensure(ref _inputGradient, _inputShape);
        int plane = _inputShape[2] * _inputShape[3];
        for (int i = 0; i < outputGradient.Length; i++)
        {
            inputGradient.Span.Slice(i * plane, plane).Fill(outputGradient.Span[i] / plane);
        }

        return inputGradient;
    }
}
