using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>Flattens each sample to one dimension, [batch, d1, d2, ...] to [batch, d1·d2·...], without copying.</summary>
/// <param name="name">The layer's name.</param>
public sealed class Flatten(string? name = null) : UnaryLayer(name)
{
    private int[] _inputShape = [];

    /// <inheritdoc/>
    public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes) => [Tensor.ComputeLength(SingleInput(inputShapes))];

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        _inputShape = input.Shape;
        return input.Rank == 2 ? input : input.Reshape(input.Dim(0), -1);
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor outputGradient) =>
        ComputeInputGradient ? outputGradient.Reshape(_inputShape) : null;
}
