namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// The Gaussian error linear unit, x · Φ(x) with Φ the standard normal distribution function (exact, through erf), or
/// its tanh approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as ONNX's Gelu and PyTorch's <c>gelu</c>.
/// </summary>
public sealed class Gelu : ActivationLayer
{
    private const double SqrtTwoOverPi = 0.7978845608028654;
    private const double InverseSqrtTwo = 0.7071067811865476;
    private const double InverseSqrtTwoPi = 0.3989422804014327;

    /// <summary>Creates the layer.</summary>
    /// <param name="tanhApproximation">Whether to use the tanh approximation. The default is <see langword="false"/> (exact).</param>
    /// <param name="name">The layer's name.</param>
    public Gelu(bool tanhApproximation = false, string? name = null)
        : base(name)
    {
        TanhApproximation = tanhApproximation;
    }

    /// <summary>Gets whether the layer uses the tanh approximation.</summary>
    public bool TanhApproximation { get; }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            double x = input[i];
            output[i] = (float)(TanhApproximation
                ? 0.5 * x * (1 + Math.Tanh(SqrtTwoOverPi * (x + (0.044715 * x * x * x))))
                : 0.5 * x * (1 + ErrorFunction.Erf(x * InverseSqrtTwo)));
        }
    }

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < input.Length; i++)
        {
            double x = input[i], derivative;
            if (TanhApproximation)
            {
                double t = Math.Tanh(SqrtTwoOverPi * (x + (0.044715 * x * x * x)));
                derivative = (0.5 * (1 + t)) + (0.5 * x * (1 - (t * t)) * SqrtTwoOverPi * (1 + (3 * 0.044715 * x * x)));
            }
            else
            {
                derivative = (0.5 * (1 + ErrorFunction.Erf(x * InverseSqrtTwo))) + (x * InverseSqrtTwoPi * Math.Exp(-0.5 * x * x));
            }

            inputGradient[i] = (float)(derivative * outputGradient[i]);
        }
    }
}
