using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// Multiplies two inputs element-wise, broadcasting their per-sample shapes as NumPy does: a squeeze-excitation gate
/// multiplies a [C, H, W] feature map by a [C, 1, 1] gate, and input 1's channels are coupled to input 0's.
/// </summary>
/// <param name="name">The layer's name.</param>
public sealed class Multiply(string? name = null) : ElementwiseLayer(BinaryOperation.Multiply, name)
{
}
