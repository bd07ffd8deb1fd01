using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>
/// The structural pruner of one layer type: says how units flow through the layer and shrinks its parameters when
/// units are removed. <see cref="LayerPruners"/> registers one per layer type.
/// </summary>
/// <remarks>
/// Every method receives the indices to keep, sorted ascending and distinct, along the axis it names. Tensors shrink
/// through <see cref="Parameter.Replace"/>, so a parameter keeps its identity (an optimizer holding it starts its state
/// afresh because the length changed) and its mask, restricted to the kept entries.
/// </remarks>
internal abstract class LayerPruner
{
    /// <summary>Says how units flow through <paramref name="layer"/>.</summary>
    /// <param name="layer">A layer of this pruner's type.</param>
    /// <returns>The flow.</returns>
    public abstract ChannelFlow Describe(Layer layer);

    /// <summary>Keeps only the given output units (rows of a Dense weight, filters of a Conv2d) of a producing layer.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="keep">The output units to keep.</param>
    public virtual void KeepOutputs(Layer layer, int[] keep) => throw Unsupported(layer, "remove output units");

    /// <summary>Keeps only the given inputs (features of a Dense, input channels of a Conv2d) of a producing layer.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="keep">The input features or channels to keep.</param>
    public virtual void KeepInputs(Layer layer, int[] keep) => throw Unsupported(layer, "remove inputs");

    /// <summary>Keeps only the given channels of a layer whose input and output channels are coupled one to one.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="keep">The channels (or, after a Flatten, features) to keep.</param>
    public virtual void KeepChannels(Layer layer, int[] keep) => throw Unsupported(layer, "remove channels");

    /// <summary>Keeps only the given channels of a layer whose state depends on its input's shape; the default ignores the shape.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="keep">The channels (or, after a Flatten, features) to keep.</param>
    /// <param name="inputShape">The layer's per-sample input shape before the removal.</param>
    public virtual void KeepChannels(Layer layer, int[] keep, int[] inputShape) => KeepChannels(layer, keep);

    /// <summary>Keeps the given indices along one axis of a parameter, and of its mask.</summary>
    /// <param name="parameter">The parameter.</param>
    /// <param name="axis">The axis.</param>
    /// <param name="keep">The indices to keep.</param>
    protected static void Keep(Parameter parameter, int axis, int[] keep)
    {
        var mask = parameter.Mask;
        parameter.Replace(TensorSelection.KeepAlong(parameter.Value, axis, keep));
        if (mask is not null)
        {
            parameter.Mask = TensorSelection.KeepAlong(mask, axis, keep);
        }
    }

    private static InvalidOperationException Unsupported(Layer layer, string what) =>
        new($"Layer '{layer.Name}' ({layer.GetType().Name}): its structural pruner cannot {what}.");
}
