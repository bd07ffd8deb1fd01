namespace Microsoft.ML.Pruning.Networks;

/// <summary>The hyperbolic tangent.</summary>
/// <param name="name">The layer's name.</param>
public sealed class Tanh(string? name = null) : ActivationLayer(name)
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = MathF.Tanh(input[i]);
        }
    }

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < output.Length; i++)
        {
            float y = output[i];
            inputGradient[i] = outputGradient[i] * (1f - (y * y));
        }
    }
}
