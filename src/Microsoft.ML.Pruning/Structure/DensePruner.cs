using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>Removes the output neurons (weight rows and bias entries) or the input features (weight columns) of a <see cref="Dense"/> layer.</summary>
internal sealed class DensePruner : LayerPruner
{
    /// <inheritdoc/>
    public override ChannelFlow Describe(Layer layer) => ChannelFlow.Produces;

    /// <inheritdoc/>
    public override void KeepOutputs(Layer layer, int[] keep)
    {
        var dense = (Dense)layer;
        Keep(dense.Weight, 0, keep);
        if (dense.Bias is not null)
        {
            Keep(dense.Bias, 0, keep);
        }
    }

    /// <inheritdoc/>
    public override void KeepInputs(Layer layer, int[] keep) => Keep(((Dense)layer).Weight, 1, keep);
}
