using Microsoft.ML.Pruning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp.Layers;

/// <summary>
/// A 2-D convolution, grouped, depthwise or dilated; asymmetric padding is applied as an explicit zero pad first. It
/// calls libtorch's <c>conv2d</c>, except on a CPU whose libtorch float32 input gradient the start-up check
/// (<see cref="ConvolutionGradientCheck"/>) found wrong, or when <see cref="TorchSharpBackendOptions.CpuConvolution"/>
/// asks for it: a pass that needs the input gradient then computes the same product as im2col (<c>unfold</c>) and a
/// batched matrix product, which agrees with float64 to 1e-7.
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
    private readonly bool _unfold;

    public ConvolutionModule(Conv2d layer, Device device, bool unfold)
        : base(layer)
    {
        _weight = AddParameter(layer.Weight, device);
        _bias = layer.Bias is { } bias ? AddParameter(bias, device) : null;
        _stride = [layer.Stride.Height, layer.Stride.Width];
        _kernel = [layer.Kernel.Height, layer.Kernel.Width];
        _dilation = [layer.Dilation.Height, layer.Dilation.Width];
        _groups = layer.Groups;
        _unfold = unfold && device.type == DeviceType.CPU;
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

        // libtorch's forward and weight gradient are right everywhere; only its input gradient was found wrong, so the
        // unfold path is taken only when a gradient must flow back into the input (not for the network's input, nor under no_grad).
        return _unfold && input.requires_grad
            ? Unfolded(input, _weight, _bias, _kernel, _stride, _padding, _dilation, _groups)
            : nn.functional.conv2d(input, _weight, _bias, _stride, _padding, _dilation, _groups);
    }

    /// <summary>The convolution as im2col (<c>unfold</c>) and one batched matrix product per group.</summary>
    /// <param name="input">The input [batch, in, height, width].</param>
    /// <param name="weight">The weight [out, in / groups, kh, kw].</param>
    /// <param name="bias">The bias [out], or <see langword="null"/>.</param>
    /// <param name="kernel">The kernel's height and width.</param>
    /// <param name="stride">The strides.</param>
    /// <param name="padding">The symmetric paddings.</param>
    /// <param name="dilation">The dilations.</param>
    /// <param name="groups">The groups.</param>
    /// <returns>The output [batch, out, out height, out width].</returns>
    internal static Tensor Unfolded(Tensor input, Tensor weight, Tensor? bias, long[] kernel, long[] stride, long[] padding, long[] dilation, long groups)
    {
        long batch = input.shape[0], outputs = weight.shape[0];
        long height = ((input.shape[2] + (2 * padding[0]) - (((kernel[0] - 1) * dilation[0]) + 1)) / stride[0]) + 1;
        long width = ((input.shape[3] + (2 * padding[1]) - (((kernel[1] - 1) * dilation[1]) + 1)) / stride[1]) + 1;

        // columns [batch, groups, in/groups · kh · kw, positions]; weight [groups, out/groups, in/groups · kh · kw].
        var columns = nn.functional.unfold(input, (kernel[0], kernel[1]), dilation: (dilation[0], dilation[1]), padding: (padding[0], padding[1]), stride: (stride[0], stride[1]));
        columns = columns.view(batch, groups, -1, height * width);
        var grouped = weight.view(groups, outputs / groups, -1);
        var output = grouped.matmul(columns).view(batch, outputs, height, width);
        return bias is null ? output : output + bias.view(1, outputs, 1, 1);
    }
}
