using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>The sigmoid-weighted linear unit (swish), x · sigmoid(x), fused into one layer (EfficientNet).</summary>
/// <param name="name">The layer's name.</param>
public sealed class Silu(string? name = null) : ActivationLayer(name)
{
    /// <inheritdoc/>
    private protected override int SplitUnit => 64;

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output) =>
        ActivationKernels.Silu(input, output);

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient) =>
        ActivationKernels.SiluBackward(input, outputGradient, inputGradient);
}
