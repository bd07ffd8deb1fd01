namespace Microsoft.ML.Pruning.Networks;

/// <summary>The exponential linear unit: x when x &gt; 0, otherwise alpha·(e^x - 1).</summary>
public sealed class Elu : ActivationLayer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="alpha">The scale of the negative part. The default is 1, as in PyTorch and ONNX.</param>
    /// <param name="name">The layer's name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite.</exception>
    public Elu(float alpha = 1f, string? name = null)
        : base(name)
    {
        if (!float.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be finite.");
        }

        Alpha = alpha;
    }

    /// <summary>Gets the scale of the negative part.</summary>
    public float Alpha { get; }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            float x = input[i];
            output[i] = x > 0f ? x : Alpha * (MathF.Exp(x) - 1f);
        }
    }

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < input.Length; i++)
        {
            inputGradient[i] = input[i] > 0f ? outputGradient[i] : outputGradient[i] * Alpha * MathF.Exp(input[i]);
        }
    }
}
