using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>Clamps every value to [min, max]; with min 0 and max 6 it is ReLU6 (MobileNetV2).</summary>
public sealed class Clip : ActivationLayer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="min">The lower bound; <see cref="float.NegativeInfinity"/> for none.</param>
    /// <param name="max">The upper bound; <see cref="float.PositiveInfinity"/> for none.</param>
    /// <param name="name">The layer's name.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is NaN, or <paramref name="min"/> exceeds <paramref name="max"/>.</exception>
    public Clip(float min, float max, string? name = null)
        : base(name)
    {
        if (float.IsNaN(min) || float.IsNaN(max) || min > max)
        {
            throw new ArgumentOutOfRangeException(nameof(min), min, $"Clip bounds must be numbers with min <= max (max is {max}).");
        }

        Min = min;
        Max = max;
    }

    /// <summary>Gets the lower bound.</summary>
    public float Min { get; }

    /// <summary>Gets the upper bound.</summary>
    public float Max { get; }

    /// <inheritdoc/>
    private protected override int SplitUnit => 64;

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output) =>
        ActivationKernels.Clip(input, output, Min, Max);

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient) =>
        // As PyTorch's hardtanh: the gradient passes strictly inside the bounds.
        ActivationKernels.ClipBackward(input, outputGradient, inputGradient, Min, Max);
}
