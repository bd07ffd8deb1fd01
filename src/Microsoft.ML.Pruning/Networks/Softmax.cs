namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// Softmax over the last dimension. Classification networks usually end in logits and let
/// <see cref="Training.SoftmaxCrossEntropyLoss"/> apply the softmax; this layer serves imported models that end in one.
/// </summary>
/// <param name="name">The layer's name.</param>
public sealed class Softmax(string? name = null) : ActivationLayer(name)
{
    private int _width;

    /// <inheritdoc/>
    public override Tensors.FloatTensor Forward(Tensors.FloatTensor input, bool training)
    {
        _width = input.Rank <= 1 ? input.Length : input.Dim(-1);
        return base.Forward(input, training);
    }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        int width = _width;
        for (int offset = 0; offset < input.Length; offset += width)
        {
            SoftmaxRow(input.Slice(offset, width), output.Slice(offset, width));
        }
    }

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        int width = _width;
        for (int offset = 0; offset < output.Length; offset += width)
        {
            var y = output.Slice(offset, width);
            var dy = outputGradient.Slice(offset, width);
            float dot = 0;
            for (int j = 0; j < width; j++)
            {
                dot += y[j] * dy[j];
            }

            for (int j = 0; j < width; j++)
            {
                inputGradient[offset + j] = y[j] * (dy[j] - dot);
            }
        }
    }

    /// <summary>Computes a numerically stable softmax of one row.</summary>
    /// <param name="input">The logits.</param>
    /// <param name="output">The probabilities.</param>
    internal static void SoftmaxRow(ReadOnlySpan<float> input, Span<float> output)
    {
        float max = float.NegativeInfinity;
        foreach (float v in input)
        {
            max = MathF.Max(max, v);
        }

        float sum = 0;
        for (int j = 0; j < input.Length; j++)
        {
            float e = MathF.Exp(input[j] - max);
            output[j] = e;
            sum += e;
        }

        float inverse = 1f / sum;
        for (int j = 0; j < input.Length; j++)
        {
            output[j] *= inverse;
        }
    }
}
