using Microsoft.ML.Pruning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp.Layers;

/// <summary>
/// 2-D max or average pooling with the managed layer's window. Padding (and the extra trailing padding of ceil mode) is
/// applied explicitly, minus infinity for max and zeros for average, so asymmetric padding behaves as in the managed
/// engine; an average divides by the number of positions its window covers inside the input, plus the declared
/// padding when that counts, computed by pooling a mask of ones the same way.
/// </summary>
internal sealed class PoolingModule : TorchLayer
{
    private readonly PoolingLayer _layer;
    private readonly bool _max;
    private readonly bool _countIncludePad;
    private readonly long[] _kernel;
    private readonly long[] _stride;

    public PoolingModule(PoolingLayer layer)
        : base(layer)
    {
        _layer = layer;
        _max = layer is MaxPool2d;
        _countIncludePad = layer is AvgPool2d { CountIncludePad: true };
        _kernel = [layer.Kernel.Height, layer.Kernel.Width];
        _stride = [layer.Stride.Height, layer.Stride.Width];
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var input = inputs[0];
        var (top, left, bottom, right) = _layer.Padding;
        long extraBottom = CeilExtra(input.shape[2], _kernel[0], _stride[0], top, bottom);
        long extraRight = CeilExtra(input.shape[3], _kernel[1], _stride[1], left, right);
        long[] total = [left, right + extraRight, top, bottom + extraBottom];
        bool padded = total.Any(p => p != 0);
        if (_max)
        {
            var source = padded ? nn.functional.pad(input, total, PaddingModes.Constant, double.NegativeInfinity) : input;
            return nn.functional.max_pool2d(source, _kernel, _stride);
        }

        if (!padded)
        {
            return nn.functional.avg_pool2d(input, _kernel, _stride);
        }

        var sum = nn.functional.avg_pool2d(nn.functional.pad(input, total), _kernel, _stride);
        using var ones = torch.ones(1, 1, input.shape[2], input.shape[3], dtype: input.dtype, device: input.device);
        using var counted = _countIncludePad ? nn.functional.pad(ones, [left, right, top, bottom], PaddingModes.Constant, 1) : ones.alias();
        long[] rest = _countIncludePad ? [0, extraRight, 0, extraBottom] : total;
        using var count = nn.functional.avg_pool2d(nn.functional.pad(counted, rest), _kernel, _stride);
        return sum / count;
    }

    // The trailing padding that ceil mode adds so that the last window fits, as the managed layer computes it.
    private long CeilExtra(long size, long kernel, long stride, long before, long after)
    {
        long span = size + before + after - kernel;
        if (!_layer.CeilMode || span < 0)
        {
            return 0;
        }

        long outputs = ((span + stride - 1) / stride) + 1;
        if ((outputs - 1) * stride >= size + before)
        {
            outputs--;
        }

        return Math.Max(0, ((outputs - 1) * stride) + kernel - (size + before + after));
    }
}
