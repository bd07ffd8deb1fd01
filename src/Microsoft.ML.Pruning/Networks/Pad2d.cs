using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// Pads the height and width of [C, H, W] samples with a constant (ONNX's Pad in constant mode). The importer folds a
/// zero Pad into the following convolution's padding where that is exact, and keeps this layer otherwise.
/// </summary>
public sealed class Pad2d : UnaryLayer
{
    private FloatTensor? _output;
    private FloatTensor? _inputGradient;
    private int[] _inputShape = [];

    /// <summary>Creates the layer.</summary>
    /// <param name="padding">The padding: top, left, bottom, right, each non-negative.</param>
    /// <param name="value">The value of padded positions. The default is 0.</param>
    /// <param name="name">The layer's name.</param>
    public Pad2d((int Top, int Left, int Bottom, int Right) padding, float value = 0f, string? name = null)
        : base(name)
    {
        if (padding.Top < 0 || padding.Left < 0 || padding.Bottom < 0 || padding.Right < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "padding must be non-negative.");
        }

        if (!float.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "the padding value must be finite.");
        }

        Padding = padding;
        Value = value;
    }

    /// <summary>Gets the padding.</summary>
    public (int Top, int Left, int Bottom, int Right) Padding { get; }

    /// <summary>Gets the value of padded positions.</summary>
    public float Value { get; }

    /// <inheritdoc/>
    public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        var shape = SingleInput(inputShapes, 3);
        return [shape[0], shape[1] + Padding.Top + Padding.Bottom, shape[2] + Padding.Left + Padding.Right];
    }

    /// <inheritdoc/>
    public override FloatTensor Forward(FloatTensor input, bool training)
    {
        if (input.Rank != 4)
        {
            throw ShapeError($"expects input [batch, channels, height, width], got {FloatTensor.FormatShape(input.Shape)}.");
        }

        int planes = input.Dim(0) * input.Dim(1), height = input.Dim(2), width = input.Dim(3);
        int outH = height + Padding.Top + Padding.Bottom, outW = width + Padding.Left + Padding.Right;
        var output = Ensure(ref _output, [input.Dim(0), input.Dim(1), outH, outW]);
        output.Fill(Value);
        for (int p = 0; p < planes; p++)
        {
            for (int y = 0; y < height; y++)
            {
                input.Span.Slice((p * height * width) + (y * width), width)
                    .CopyTo(output.Span.Slice((p * outH * outW) + ((y + Padding.Top) * outW) + Padding.Left, width));
            }
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
        int planes = _inputShape[0] * _inputShape[1], height = _inputShape[2], width = _inputShape[3];
        int outH = outputGradient.Dim(2), outW = outputGradient.Dim(3);
        for (int p = 0; p < planes; p++)
        {
            for (int y = 0; y < height; y++)
            {
                outputGradient.Span.Slice((p * outH * outW) + ((y + Padding.Top) * outW) + Padding.Left, width)
                    .CopyTo(gradient.Span.Slice((p * height * width) + (y * width), width));
            }
        }

        return gradient;
    }
}
