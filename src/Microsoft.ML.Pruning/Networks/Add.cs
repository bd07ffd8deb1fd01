using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>Adds two inputs element-wise (a residual connection), broadcasting their per-sample shapes as NumPy does.</summary>
/// <param name="name">The layer's name.</param>
public sealed class Add(string? name = null) : ElementwiseLayer(BinaryOperation.Add, name)
{
}
