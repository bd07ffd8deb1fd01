using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>The hard swish, x · max(0, min(1, x / 6 + 1/2)), as ONNX's HardSwish and PyTorch's <c>hardswish</c>.</summary>
/// <param name="name">The layer's name.</param>
public sealed class HardSwish(string? name = null) : ActivationLayer(name)
{
    /// <inheritdoc/>
    private protected override int SplitUnit => 64;

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output) =>
        ActivationKernels.HardSwish(input, output);

    /// <inheritdoc/>
    protected override void Derive(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient) =>
        ActivationKernels.HardSwishBackward(input, outputGradient, inputGradient);
}
