namespace Microsoft.ML.Pruning;

/// <summary>One layer's size in a <see cref="ModelSnapshot"/>.</summary>
/// <param name="Layer">The layer's name.</param>
/// <param name="Kind">The layer's type name, such as <c>Dense</c> or <c>Conv2d</c>.</param>
/// <param name="Units">Output units (Dense) or filters (Conv2d).</param>
/// <param name="Parameters">Trainable values.</param>
/// <param name="Nonzeros">Trainable values that are not zero.</param>
/// <param name="MultiplyAdds">Multiply-adds of one sample's forward pass.</param>
public sealed record LayerWidth(string Layer, string Kind, int Units, long Parameters, long Nonzeros, long MultiplyAdds);
