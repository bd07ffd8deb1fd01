using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>The logistic sigmoid, 1 / (1 + e^-x).</summary>
/// <param name="name">The layer's name.</param>
public sealed class Sigmoid(string? name = null) : ActivationLayer(name)
{
    /// <inheritdoc/>
    private protected override int SplitUnit => 64;

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output) =>
        ActivationKernels.Sigmoid(input, output);

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient) =>
        ActivationKernels.SigmoidBackward(output, outputGradient, inputGradient);
}
