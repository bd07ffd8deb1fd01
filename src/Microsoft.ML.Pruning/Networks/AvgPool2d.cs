using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>2-D average pooling.</summary>
public sealed class AvgPool2d : PoolingLayer
{
    /// <summary>Creates an average pooling layer with a square window.</summary>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">The step; defaults to the window size.</param>
    /// <param name="padding">The padding on every side.</param>
    /// <param name="countIncludePad">Whether padded zeros count in the divisor. The default is <see langword="true"/>, as in PyTorch (ONNX's default is false).</param>
    /// <param name="name">The layer's name.</param>
    public AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true, string? name = null)
        : this((kernelSize, kernelSize), (stride ?? kernelSize, stride ?? kernelSize), (padding, padding, padding, padding), countIncludePad, name)
    {
    }

    /// <summary>Creates an average pooling layer with full control of its geometry.</summary>
    /// <param name="kernel">The window height and width.</param>
    /// <param name="stride">The steps.</param>
    /// <param name="padding">The padding: top, left, bottom, right.</param>
    /// <param name="countIncludePad">Whether padded zeros count in the divisor.</param>
    /// <param name="name">The layer's name.</param>
    public AvgPool2d((int Height, int Width) kernel, (int Height, int Width) stride, (int Top, int Left, int Bottom, int Right) padding, bool countIncludePad = true, string? name = null)
        : this(kernel, stride, padding, countIncludePad, false, name)
    {
    }

    /// <summary>Creates an average pooling layer whose output size may round up.</summary>
    /// <param name="kernel">The window height and width.</param>
    /// <param name="stride">The steps.</param>
    /// <param name="padding">The padding: top, left, bottom, right.</param>
    /// <param name="countIncludePad">Whether padded zeros count in the divisor (only the declared padding, never the positions ceil mode adds).</param>
    /// <param name="ceilMode">Whether the output size rounds up (ONNX's and PyTorch's ceil_mode).</param>
    /// <param name="name">The layer's name.</param>
    public AvgPool2d((int Height, int Width) kernel, (int Height, int Width) stride, (int Top, int Left, int Bottom, int Right) padding, bool countIncludePad, bool ceilMode, string? name = null)
        : base(kernel, stride, padding, ceilMode, name)
    {
        CountIncludePad = countIncludePad;
    }

    /// <summary>Gets whether padded zeros count in the divisor.</summary>
    public bool CountIncludePad { get; }

    private protected override void PoolPlane(in WindowGeometry g, int plane, ReadOnlySpan<float> input, Span<float> output, bool training)
    {
        for (int oy = 0, o = 0; oy < g.OutputHeight; oy++)
        {
            for (int ox = 0; ox < g.OutputWidth; ox++, o++)
            {
                var (yStart, yEnd, xStart, xEnd, divisor) = Window(g, oy, ox);
                float sum = 0;
                for (int y = yStart; y < yEnd; y++)
                {
                    for (int x = xStart; x < xEnd; x++)
                    {
                        sum += input[(y * g.Width) + x];
                    }
                }

                output[o] = sum / divisor;
            }
        }
    }

    private protected override void UnpoolPlane(in WindowGeometry g, int plane, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int oy = 0, o = 0; oy < g.OutputHeight; oy++)
        {
            for (int ox = 0; ox < g.OutputWidth; ox++, o++)
            {
                var (yStart, yEnd, xStart, xEnd, divisor) = Window(g, oy, ox);
                float share = outputGradient[o] / divisor;
                for (int y = yStart; y < yEnd; y++)
                {
                    for (int x = xStart; x < xEnd; x++)
                    {
                        inputGradient[(y * g.Width) + x] += share;
                    }
                }
            }
        }
    }

    private (int YStart, int YEnd, int XStart, int XEnd, float Divisor) Window(in WindowGeometry g, int oy, int ox)
    {
        int y0 = (oy * g.StrideHeight) - g.PadTop, x0 = (ox * g.StrideWidth) - g.PadLeft;
        int yStart = Math.Max(y0, 0), yEnd = Math.Min(y0 + g.KernelHeight, g.Height);
        int xStart = Math.Max(x0, 0), xEnd = Math.Min(x0 + g.KernelWidth, g.Width);
        int divisor = CountIncludePad
            ? (Math.Min(y0 + g.KernelHeight, g.Height + Padding.Bottom) - y0) * (Math.Min(x0 + g.KernelWidth, g.Width + Padding.Right) - x0)
            : (yEnd - yStart) * (xEnd - xStart);
        return (yStart, yEnd, xStart, xEnd, divisor);
    }
}
