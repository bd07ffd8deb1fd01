namespace Microsoft.ML.Pruning.Networks;

/// <summary>The hard swish, x · max(0, min(1, x / 6 + 1/2)), as ONNX's HardSwish and PyTorch's <c>hardswish</c>.</summary>
/// <param name="name">The layer's name.</param>
public sealed class HardSwish(string? name = null) : ActivationLayer(name)
{
    private const float Slope = 1f / 6f;

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            float x = input[i];
            output[i] = x * Math.Clamp((Slope * x) + 0.5f, 0f, 1f);
        }
    }

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < input.Length; i++)
        {
            float x = input[i];
            float z = (Slope * x) + 0.5f;
            float derivative = z <= 0f ? 0f : z >= 1f ? 1f : z + (Slope * x);
            inputGradient[i] = derivative * outputGradient[i];
        }
    }
}
