using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>The rectified linear unit, max(x, 0).</summary>
/// <param name="name">The layer's name.</param>
public sealed class Relu(string? name = null) : ActivationLayer(name)
{
    /// <inheritdoc/>
    private protected override int SplitUnit => 64;

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output) =>
        VectorOps.Relu(input, output);

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient) =>
        VectorOps.ReluBackward(output, outputGradient, inputGradient);
}
