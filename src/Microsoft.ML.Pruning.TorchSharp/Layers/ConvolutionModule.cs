using Microsoft.ML.Pruning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp.Layers;

/// <summary>
/// A 2-D convolution, grouped, depthwise or dilated; asymmetric padding is applied as an explicit zero pad first. On CUDA it
/// calls libtorch's <c>conv2d</c>. On the CPU it computes the same product as im2col (<c>unfold</c>) and a batched matrix
/// product whenever the input needs a gradient, because libtorch 2.10's CPU float32 convolution input gradient (also <c>conv_transpose2d</c>)
/// was measured to return wrong values intermittently on this project's machines (up to 20 % of the largest value, and
/// sometimes NaN), while the unfold path agrees with float64 to 1e-7.
/// </summary>
internal sealed class ConvolutionModule : TorchLayer
{
    private readonly Tensor _weight;
    private readonly Tensor? _bias;
    private readonly long[] _stride;
    private readonly long[] _padding;
    private readonly long[]? _explicitPadding;
    private readonly long[] _kernel;
    private readonly long[] _dilation;
    private readonly long _groups;
    private readonly bool _native;

    public ConvolutionModule(Conv2d layer, Device device)
        : base(layer)
    {
        _weight = AddParameter(layer.Weight, device);
        _bias = layer.Bias is { } bias ? AddParameter(bias, device) : null;
        _stride = [layer.Stride.Height, layer.Stride.Width];
        _kernel = [layer.Kernel.Height, layer.Kernel.Width];
        _dilation = [layer.Dilation.Height, layer.Dilation.Width];
        _groups = layer.Groups;
        _native = device.type != DeviceType.CPU;
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
        // libtorch's forward and weight gradient are right; only the input gradient is not, so the unfold path is taken
        // only when a gradient must flow back into the input (not for the network's input, nor under no_grad).
        if (_native || !input.requires_grad)
        {
            return nn.functional.conv2d(input, _weight, _bias, _stride, _padding, _dilation, _groups);
        }

        long batch = input.shape[0], outputs = _weight.shape[0];
        long height = ((input.shape[2] + (2 * _padding[0]) - (((_kernel[0] - 1) * _dilation[0]) + 1)) / _stride[0]) + 1;
        long width = ((input.shape[3] + (2 * _padding[1]) - (((_kernel[1] - 1) * _dilation[1]) + 1)) / _stride[1]) + 1;

        // columns [batch, groups, in/groups · kh · kw, positions]; weight [groups, out/groups, in/groups · kh · kw].
        var columns = nn.functional.unfold(input, (_kernel[0], _kernel[1]), dilation: (_dilation[0], _dilation[1]), padding: (_padding[0], _padding[1]), stride: (_stride[0], _stride[1]));
        columns = columns.view(batch, _groups, -1, height * width);
        var weight = _weight.view(_groups, outputs / _groups, -1);
        var output = weight.matmul(columns).view(batch, outputs, height, width);
        return _bias is null ? output : output + _bias.view(1, outputs, 1, 1);
    }
}
