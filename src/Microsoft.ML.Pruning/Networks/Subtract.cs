using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>Subtracts the second input from the first element-wise, broadcasting their per-sample shapes as NumPy does.</summary>
/// <param name="name">The layer's name.</param>
public sealed class Subtract(string? name = null) : ElementwiseLayer(BinaryOperation.Subtract, name)
{
}
