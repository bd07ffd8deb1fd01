using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>Divides the first input by the second element-wise, broadcasting their per-sample shapes as NumPy does.</summary>
/// <param name="name">The layer's name.</param>
public sealed class Divide(string? name = null) : ElementwiseLayer(BinaryOperation.Divide, name)
{
}
