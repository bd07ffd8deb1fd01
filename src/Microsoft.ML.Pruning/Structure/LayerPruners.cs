using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>The structural pruner of each layer type, by exact type: a layer type that is not registered blocks pruning where it appears.</summary>
internal static class LayerPruners
{
    private static readonly Dictionary<Type, LayerPruner> Registry = new()
    {
        [typeof(Dense)] = new DensePruner(),
        [typeof(Conv2d)] = new Conv2dPruner(),
        [typeof(BatchNorm)] = new BatchNormPruner(),
        [typeof(Relu)] = new PassThroughPruner(ChannelFlow.ElementWise),
        [typeof(LeakyRelu)] = new PassThroughPruner(ChannelFlow.ElementWise),
        [typeof(Sigmoid)] = new PassThroughPruner(ChannelFlow.ElementWise),
        [typeof(Tanh)] = new PassThroughPruner(ChannelFlow.ElementWise),
        [typeof(Clip)] = new PassThroughPruner(ChannelFlow.ElementWise),
        [typeof(HardSigmoid)] = new PassThroughPruner(ChannelFlow.ElementWise),
        [typeof(HardSwish)] = new PassThroughPruner(ChannelFlow.ElementWise),
        [typeof(Silu)] = new PassThroughPruner(ChannelFlow.ElementWise),
        [typeof(Elu)] = new PassThroughPruner(ChannelFlow.ElementWise),
        [typeof(Gelu)] = new PassThroughPruner(ChannelFlow.ElementWise),
        [typeof(Dropout)] = new PassThroughPruner(ChannelFlow.ElementWise),
        [typeof(ConstantOperation)] = new ConstantOperationPruner(),
        [typeof(MaxPool2d)] = new PassThroughPruner(ChannelFlow.ChannelWise),
        [typeof(AvgPool2d)] = new PassThroughPruner(ChannelFlow.ChannelWise),
        [typeof(GlobalAvgPool)] = new PassThroughPruner(ChannelFlow.ChannelWise),
        [typeof(Pad2d)] = new PassThroughPruner(ChannelFlow.ChannelWise),
        [typeof(Flatten)] = new FlattenPruner(),
        [typeof(Add)] = new JoinPruner(),
        [typeof(Subtract)] = new JoinPruner(),
        [typeof(Multiply)] = new JoinPruner(),
        [typeof(Divide)] = new JoinPruner(),
        [typeof(Concat)] = new ConcatPruner(),
        [typeof(ChannelSlice)] = new ChannelSlicePruner(),
        [typeof(ChannelShuffle)] = new OpaquePruner("shuffles channels across groups; structural pruning does not follow the shuffle, so the units on either side of it stay"),
        [typeof(Softmax)] = new OpaquePruner("normalizes across its units, so removing one would change the others"),
    };

    /// <summary>Gets the pruner registered for a layer's type, or an opaque one for a type structural pruning does not know.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>The pruner.</returns>
    public static LayerPruner For(Layer layer) =>
        Registry.TryGetValue(layer.GetType(), out var pruner)
            ? pruner
            : new OpaquePruner($"is a {layer.GetType().Name}, a layer type structural pruning does not know");
}
