using System.Runtime.CompilerServices;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>2-D max pooling; padded positions never win.</summary>
public sealed class MaxPool2d : PoolingLayer
{
    private int[] _argMax = [];
    private PhasePlanes? _layout;

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
        : base(kernel, stride, padding, false, name)
    {
    }

    /// <summary>Creates a max pooling layer whose output size may round up.</summary>
    /// <param name="kernel">The window height and width.</param>
    /// <param name="stride">The steps.</param>
    /// <param name="padding">The padding: top, left, bottom, right.</param>
    /// <param name="ceilMode">Whether the output size rounds up (ONNX's and PyTorch's ceil_mode).</param>
    /// <param name="name">The layer's name.</param>
    public MaxPool2d((int Height, int Width) kernel, (int Height, int Width) stride, (int Top, int Left, int Bottom, int Right) padding, bool ceilMode, string? name = null)
        : base(kernel, stride, padding, ceilMode, name)
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
        var argMax = training ? _argMax.AsSpan(plane * outPlane, outPlane) : default;
        int outH = g.OutputHeight, outW = g.OutputWidth, width = g.Width;
        if (g.KernelHeight == 2 && g.KernelWidth == 2 && g.StrideHeight == 2 && g.StrideWidth == 2 && g.PadTop == 0 && g.PadLeft == 0 && g.PadBottom == 0 && g.PadRight == 0)
        {
            // The common 2x2 window with stride 2 and no padding: every window lies inside the image.
            PoolPlane2x2(input, output, argMax, outH, outW, width, training);
            return;
        }

        // Any other window: through the stride phases, vectorized over the plane.
        var layout = _layout;
        if (layout is null || layout.Geometry != g)
        {
            _layout = layout = new PhasePlanes(g);
        }

        MaxPoolKernel.PoolPlane(layout, input, output, argMax);
    }

    // The scalar loop over every window: the reference the tests hold the vectorized path to.
    internal static void PoolPlaneScalar(in WindowGeometry g, ReadOnlySpan<float> input, Span<float> output, Span<int> argMax, bool training)
    {
        int outH = g.OutputHeight, outW = g.OutputWidth, width = g.Width;

        int kh = g.KernelHeight, kw = g.KernelWidth, height = g.Height;
        for (int oy = 0, o = 0; oy < outH; oy++)
        {
            int y0 = (oy * g.StrideHeight) - g.PadTop;
            int yStart = Math.Max(y0, 0), yEnd = Math.Min(y0 + kh, height);
            for (int ox = 0; ox < outW; ox++, o++)
            {
                int x0 = (ox * g.StrideWidth) - g.PadLeft;
                int xStart = Math.Max(x0, 0), xEnd = Math.Min(x0 + kw, width);
                float best = float.NegativeInfinity;
                int bestIndex = (yStart * width) + xStart;
                for (int y = yStart; y < yEnd; y++)
                {
                    for (int x = xStart; x < xEnd; x++)
                    {
                        float v = input[(y * width) + x];
                        if (v > best || float.IsNaN(v))
                        {
                            best = v;
                            bestIndex = (y * width) + x;
                        }
                    }
                }

                output[o] = best;
                if (training)
                {
                    argMax[o] = bestIndex;
                }
            }
        }
    }

    /// <summary>
    /// A 2x2 window with stride 2 and no padding, without data-dependent branches (on random activations the general
    /// loop's comparisons mispredict about half the time). The value is the window's maximum, NaN if any value is NaN
    /// (<see cref="Math.Max(float, float)"/>); the index is the general loop's: the first maximum, or the last NaN.
    /// </summary>
    private static void PoolPlane2x2(ReadOnlySpan<float> input, Span<float> output, Span<int> argMax, int outH, int outW, int width, bool training)
    {
        for (int oy = 0; oy < outH; oy++)
        {
            int top = 2 * oy * width;
            var row0 = input.Slice(top, 2 * outW);
            var row1 = input.Slice(top + width, 2 * outW);
            var outRow = output.Slice(oy * outW, outW);
            if (!training)
            {
                for (int ox = 0; ox < outRow.Length; ox++)
                {
                    int x = 2 * ox;
                    outRow[ox] = Math.Max(Math.Max(row0[x], row0[x + 1]), Math.Max(row1[x], row1[x + 1]));
                }

                continue;
            }

            var argRow = argMax.Slice(oy * outW, outW);
            for (int ox = 0; ox < outRow.Length; ox++)
            {
                int x = 2 * ox;
                float a = row0[x], b = row0[x + 1], c = row1[x], d = row1[x + 1];
                float best = a;
                int index = top + x;
                index = Choose(b, best, index, top + x + 1);
                best = Math.Max(best, b);
                index = Choose(c, best, index, top + width + x);
                best = Math.Max(best, c);
                index = Choose(d, best, index, top + width + x + 1);
                best = Math.Max(best, d);
                outRow[ox] = best;
                argRow[ox] = index;
            }
        }
    }

    /// <summary>Returns <paramref name="candidateIndex"/> when <paramref name="value"/> beats <paramref name="best"/> (greater, or NaN), else <paramref name="index"/>; branch-free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Choose(float value, float best, int index, int candidateIndex)
    {
        int wins = (value > best ? 1 : 0) | (float.IsNaN(value) ? 1 : 0);
        return index + ((candidateIndex - index) & -wins);
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
