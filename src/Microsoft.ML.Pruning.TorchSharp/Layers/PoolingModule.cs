using TorchSharp;
using Microsoft.ML.Pruning.Networks;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp.Layers;

/// <summary>
/// 2-D max or average pooling with the managed layer's window. Padding is applied explicitly (minus infinity for max,
/// zeros for average), so asymmetric padding and paddings beyond libtorch's half-kernel limit behave as in the managed
/// engine; an average that leaves the padding out of the divisor divides by the pooled count of real cells.
/// </summary>
internal sealed class PoolingModule : TorchLayer
{
    private readonly bool _max;
    private readonly bool _countIncludePad;
    private readonly long[] _kernel;
    private readonly long[] _stride;
    private readonly long[]? _padding;

    public PoolingModule(PoolingLayer layer)
        : base(layer)
    {
        _max = layer is MaxPool2d;
        _countIncludePad = layer is AvgPool2d { CountIncludePad: true };
        _kernel = [layer.Kernel.Height, layer.Kernel.Width];
        _stride = [layer.Stride.Height, layer.Stride.Width];
        var (top, left, bottom, right) = layer.Padding;
        _padding = top == 0 && left == 0 && bottom == 0 && right == 0 ? null : [left, right, top, bottom];
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var input = inputs[0];
        if (_max)
        {
            var padded = _padding is null ? input : nn.functional.pad(input, _padding, PaddingModes.Constant, double.NegativeInfinity);
            return nn.functional.max_pool2d(padded, _kernel, _stride);
        }

        if (_padding is null)
        {
            return nn.functional.avg_pool2d(input, _kernel, _stride);
        }

        var sum = nn.functional.avg_pool2d(nn.functional.pad(input, _padding), _kernel, _stride);
        if (_countIncludePad)
        {
            return sum;
        }

        using var ones = torch.ones(1, 1, input.shape[2], input.shape[3], dtype: input.dtype, device: input.device);
        using var count = nn.functional.avg_pool2d(nn.functional.pad(ones, _padding), _kernel, _stride);
        return sum / count;
    }
}
