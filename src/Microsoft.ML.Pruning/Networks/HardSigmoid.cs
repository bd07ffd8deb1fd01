namespace Microsoft.ML.Pruning.Networks;

/// <summary>The hard sigmoid, max(0, min(1, alpha·x + beta)), as ONNX's HardSigmoid.</summary>
public sealed class HardSigmoid : ActivationLayer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="alpha">The slope. The default is 0.2, as in ONNX (PyTorch's <c>hardsigmoid</c> uses 1/6).</param>
    /// <param name="beta">The offset. The default is 0.5.</param>
    /// <param name="name">The layer's name.</param>
    /// <exception cref="ArgumentOutOfRangeException">A coefficient is not finite.</exception>
    public HardSigmoid(float alpha = 0.2f, float beta = 0.5f, string? name = null)
        : base(name)
    {
        if (!float.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be finite.");
        }

        if (!float.IsFinite(beta))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be finite.");
        }

        Alpha = alpha;
        Beta = beta;
    }

    /// <summary>Gets the slope.</summary>
    public float Alpha { get; }

    /// <summary>Gets the offset.</summary>
    public float Beta { get; }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = Math.Clamp((Alpha * input[i]) + Beta, 0f, 1f);
        }
    }

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < input.Length; i++)
        {
            float z = (Alpha * input[i]) + Beta;
            inputGradient[i] = z > 0f && z < 1f ? Alpha * outputGradient[i] : 0f;
        }
    }
}
