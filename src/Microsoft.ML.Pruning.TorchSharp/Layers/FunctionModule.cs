using Microsoft.ML.Pruning.Networks;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp.Layers;

/// <summary>A layer without parameters whose forward pass is one libtorch function of its inputs (activations, Flatten, Add, ...).</summary>
internal sealed class FunctionModule(Layer layer, Func<IReadOnlyList<Tensor>, Tensor> function) : TorchLayer(layer)
{
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => function(inputs);
}
