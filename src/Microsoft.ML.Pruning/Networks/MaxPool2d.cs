using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>2-D max pooling; padded positions never win.</summary>
public sealed class MaxPool2d : PoolingLayer
{
    private int[] _argMax = [];

    /// <summary>Creates a max pooling layer with a square window.</summary>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">The step; defaults to the window size.</param>
    /// <param name="padding">The padding on every side.</param>
    /// <param name="name">The layer's name.</param>
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0, string? name = null)
        : this((kernelSize, kernelSize), (stride ?? kernelSize, stride ?? kernelSize), (padding, padding, padding, padding), name)
    {
    }

    /// <summary>Creates a max pooling layer with full control of its geometry.</summary>
    /// <param name="kernel">The window height and width.</param>
    /// <param name="stride">The steps.</param>
    /// <param name="padding">The padding: top, left, bottom, right.</param>
    /// <param name="name">The layer's name.</param>
    public MaxPool2d((int Height, int Width) kernel, (int Height, int Width) stride, (int Top, int Left, int Bottom, int Right) padding, string? name = null)
        : base(kernel, stride, padding, name)
    {
    }

    private protected override void Prepare(int outputLength, bool training)
    {
        if (training && _argMax.Length < outputLength)
        {
            _argMax = new int[outputLength];
        }
    }

    private protected override void PoolPlane(in WindowGeometry g, int plane, ReadOnlySpan<float> input, Span<float> output, bool training)
    {
        int outPlane = output.Length;

        for (int oy = 0, o = 0; oy < g.OutputHeight; oy++)
        {
            int y0 = (oy * g.StrideHeight) - g.PadTop;
            int yStart = Math.Max(y0, 0), yEnd = Math.Min(y0 + g.KernelHeight, g.Height);
            for (int ox = 0; ox < g.OutputWidth; ox++, o++)
            {
                int x0 = (ox * g.StrideWidth) - g.PadLeft;
                int xStart = Math.Max(x0, 0), xEnd = Math.Min(x0 + g.KernelWidth, g.Width);
                float best = float.NegativeInfinity;
                int bestIndex = (yStart * g.Width) + xStart;
                for (int y = yStart; y < yEnd; y++)
                {
                    for (int x = xStart; x < xEnd; x++)
                    {
                        float v = input[(y * g.Width) + x];
                        if (v > best || float.IsNaN(v))
                        {
                            best = v;
                            bestIndex = (y * g.Width) + x;
                        }
                    }
                }

                output[o] = best;
                if (training)
                {
                    _argMax[(plane * outPlane) + o] = bestIndex;
                }
            }
        }
    }

    private protected override void UnpoolPlane(in WindowGeometry g, int plane, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        var argMax = _argMax.AsSpan(plane * outputGradient.Length, outputGradient.Length);
        for (int o = 0; o < outputGradient.Length; o++)
        {
            inputGradient[argMax[o]] += outputGradient[o];
        }
    }
}
