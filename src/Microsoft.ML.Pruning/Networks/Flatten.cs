using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>Flattens each sample to one dimension, [batch, d1, d2, ...] to [batch, d1·d2·...], without copying.</summary>
/// <param name="name">The layer's name.</param>
public sealed class Flatten(string? name = null) : UnaryLayer(name)
{
    private int[] _inputShape = [];

    /// <inheritdoc/>
    public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes) => [FloatTensor.ComputeLength(SingleInput(inputShapes))];

    /// <inheritdoc/>
    public override FloatTensor Forward(FloatTensor input, bool training)
    {
        _inputShape = input.Shape;
        return input.Rank == 2 ? input : input.Reshape(input.Dim(0), -1);
    }

    /// <inheritdoc/>
    protected override FloatTensor? BackwardCore(FloatTensor outputGradient) =>
        ComputeInputGradient ? outputGradient.Reshape(_inputShape) : null;
}
