using Microsoft.ML.Pruning.Networks;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp.Layers;

/// <summary>A 2-D convolution, grouped or depthwise; asymmetric padding is applied as an explicit zero pad first.</summary>
internal sealed class ConvolutionModule : TorchLayer
{
    private readonly Tensor _weight;
    private readonly Tensor? _bias;
    private readonly long[] _stride;
    private readonly long[] _padding;
    private readonly long[]? _explicitPadding;
    private readonly long _groups;

    public ConvolutionModule(Conv2d layer, Device device)
        : base(layer)
    {
        _weight = AddParameter(layer.Weight, device);
        _bias = layer.Bias is { } bias ? AddParameter(bias, device) : null;
        _stride = [layer.Stride.Height, layer.Stride.Width];
        _groups = layer.Groups;
        var (top, left, bottom, right) = layer.Padding;
        if (top == bottom && left == right)
        {
            _padding = [top, left];
        }
        else
        {
            _padding = [0, 0];
            _explicitPadding = [left, right, top, bottom];
        }
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var input = _explicitPadding is null ? inputs[0] : nn.functional.pad(inputs[0], _explicitPadding);
        return nn.functional.conv2d(input, _weight, _bias, _stride, _padding, groups: _groups);
    }
}
