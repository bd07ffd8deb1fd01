namespace Microsoft.ML.Pruning.Networks;

/// <summary>The leaky rectified linear unit: x when x &gt; 0, otherwise alpha·x.</summary>
public sealed class LeakyRelu : ActivationLayer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="alpha">The slope for negative inputs. The default is 0.01, as in PyTorch and ONNX.</param>
    /// <param name="name">The layer's name.</param>
    public LeakyRelu(float alpha = 0.01f, string? name = null)
        : base(name)
    {
        if (!float.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be finite.");
        }

        Alpha = alpha;
    }

    /// <summary>Gets the slope for negative inputs.</summary>
    public float Alpha { get; }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            float x = input[i];
            output[i] = x > 0 ? x : Alpha * x;
        }
    }

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < input.Length; i++)
        {
            inputGradient[i] = input[i] > 0 ? outputGradient[i] : Alpha * outputGradient[i];
        }
    }
}
