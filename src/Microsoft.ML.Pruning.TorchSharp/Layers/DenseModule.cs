using Microsoft.ML.Pruning.Networks;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp.Layers;

/// <summary>A fully connected layer: y = x·Wᵀ + b, with the managed layer's [outputs, inputs] weight.</summary>
internal sealed class DenseModule : TorchLayer
{
    private readonly Tensor _weight;
    private readonly Tensor? _bias;

    public DenseModule(Dense layer, Device device)
        : base(layer)
    {
        _weight = AddParameter(layer.Weight, device);
        _bias = layer.Bias is { } bias ? AddParameter(bias, device) : null;
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => nn.functional.linear(inputs[0], _weight, _bias);
}
