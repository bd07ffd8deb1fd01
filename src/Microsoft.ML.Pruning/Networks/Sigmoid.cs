namespace Microsoft.ML.Pruning.Networks;

/// <summary>The logistic sigmoid, 1 / (1 + e^-x).</summary>
/// <param name="name">The layer's name.</param>
public sealed class Sigmoid(string? name = null) : ActivationLayer(name)
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = 1f / (1f + MathF.Exp(-input[i]));
        }
    }

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < output.Length; i++)
        {
            float y = output[i];
            inputGradient[i] = outputGradient[i] * y * (1f - y);
        }
    }
}
