namespace Microsoft.ML.Pruning.Networks;

/// <summary>The sigmoid-weighted linear unit (swish), x · sigmoid(x), fused into one layer (EfficientNet).</summary>
/// <param name="name">The layer's name.</param>
public sealed class Silu(string? name = null) : ActivationLayer(name)
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            float x = input[i];
            output[i] = x / (1f + MathF.Exp(-x));
        }
    }

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < input.Length; i++)
        {
            float x = input[i];
            float s = 1f / (1f + MathF.Exp(-x));
            inputGradient[i] = outputGradient[i] * s * (1f + (x * (1f - s)));
        }
    }
}
