namespace Microsoft.ML.Pruning.Tensors;

/// <summary>
/// A depthwise convolution (groups equal to the input channels) computed directly rather than as im2col followed by one
/// GEMM per group: each output plane is one input plane filtered by its own kernel. The forward pass, the input gradient
/// and the parameter gradients each split their planes (or channels) over the worker threads and compute each one in a
/// fixed order, so results do not depend on the thread count. Rows are vectorized along the width for stride 1
/// (<see cref="RowKernels"/>); strided taps run scalar.
/// </summary>
internal static partial class DepthwiseConvolution
{
    /// <summary>
    /// Writes the [batch, channels · multiplier, outH, outW] output of filtering every input plane by its
    /// <paramref name="multiplier"/> kernels. Output channel <c>o</c> reads input channel <c>o / multiplier</c>.
    /// </summary>
    /// <param name="g">The window geometry over one sample's [channels, height, width] input.</param>
    /// <param name="batch">The samples.</param>
    /// <param name="multiplier">The output channels per input channel.</param>
    /// <param name="input">The [batch, channels, height, width] input.</param>
    /// <param name="weight">The [channels · multiplier, 1, kernelHeight, kernelWidth] weight.</param>
    /// <param name="bias">The per-output-channel bias, or <see langword="null"/> for none.</param>
    /// <param name="output">The output, overwritten.</param>
    public static void Forward(in WindowGeometry g, int batch, int multiplier, FloatTensor input, FloatTensor weight, FloatTensor? bias, FloatTensor output)
    {
        int planes = batch * g.Channels * multiplier;
        var geometry = g;
        ForEachPlane(planes, (plane, width) => ForwardPlane(geometry, plane, multiplier, input.Span, weight.Span, bias is null ? default : bias.Span, output.Span, width));
    }

    /// <summary>Writes the [batch, channels, height, width] input gradient of <see cref="Forward"/>.</summary>
    /// <param name="g">The window geometry over one sample's input.</param>
    /// <param name="batch">The samples.</param>
    /// <param name="multiplier">The output channels per input channel.</param>
    /// <param name="outputGradient">The [batch, channels · multiplier, outH, outW] output gradient.</param>
    /// <param name="weight">The weight.</param>
    /// <param name="inputGradient">The input gradient, overwritten.</param>
    public static void InputGradient(in WindowGeometry g, int batch, int multiplier, FloatTensor outputGradient, FloatTensor weight, FloatTensor inputGradient)
    {
        int planes = batch * g.Channels;
        var geometry = g;
        ForEachPlane(planes, (plane, width) => InputGradientPlane(geometry, plane, multiplier, outputGradient.Span, weight.Span, inputGradient.Span, width));
    }

    /// <summary>Runs <paramref name="body"/> for every plane, the planes split into one contiguous range per worker.</summary>
    private static void ForEachPlane(int planes, Action<int, int> body)
    {
        int parts = Math.Min(WorkerPool.Parts, planes), width = RowKernels.Width;
        WorkerPool.Run(parts, part =>
        {
            int end = (int)((long)planes * (part + 1) / parts);
            for (int plane = (int)((long)planes * part / parts); plane < end; plane++)
            {
                body(plane, width);
            }
        });
    }

    // The valid output columns of each horizontal tap, the same for every row.
    private static (int Start, int End)[] TapColumns(in WindowGeometry g)
    {
        var columns = new (int Start, int End)[g.KernelWidth];
        for (int kx = 0; kx < columns.Length; kx++)
        {
            columns[kx] = g.ValidColumns(kx);
        }

        return columns;
    }

    // Computes output plane `plane` (= n · outChannels + o) row by row: the row starts at the bias and gets, for each
    // kernel tap whose input row is inside the image, weight × the input row segment over the tap's valid columns.
    private static void ForwardPlane(in WindowGeometry g, int plane, int multiplier, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output, int width)
    {
        int outChannels = g.Channels * multiplier;
        int n = plane / outChannels, o = plane % outChannels, c = o / multiplier;
        int outH = g.OutputHeight, outW = g.OutputWidth, kh = g.KernelHeight, kw = g.KernelWidth;
        int inPlane = g.Height * g.Width;
        var src = input.Slice(((n * g.Channels) + c) * inPlane, inPlane);
        var dst = output.Slice(plane * outH * outW, outH * outW);
        var filter = weight.Slice(o * kh * kw, kh * kw);
        var taps = TapColumns(g);
        dst.Fill(bias.IsEmpty ? 0f : bias[o]);
        for (int oy = 0; oy < outH; oy++)
        {
            var row = dst.Slice(oy * outW, outW);
            for (int ky = 0; ky < kh; ky++)
            {
                int iy = (oy * g.StrideHeight) - g.PadTop + (ky * g.DilationHeight);
                if ((uint)iy >= (uint)g.Height)
                {
                    continue;
                }

                var line = src.Slice(iy * g.Width, g.Width);
                for (int kx = 0; kx < kw; kx++)
                {
                    var (start, stop) = taps[kx];
                    if (start >= stop)
                    {
                        continue;
                    }

                    int ix = (start * g.StrideWidth) - g.PadLeft + (kx * g.DilationWidth);
                    float w = filter[(ky * kw) + kx];
                    if (g.StrideWidth == 1)
                    {
                        RowKernels.MultiplyAdd(row.Slice(start, stop - start), line.Slice(ix, stop - start), w, width);
                    }
                    else
                    {
                        RowKernels.MultiplyAddStrided(row.Slice(start, stop - start), line.Slice(ix), g.StrideWidth, w);
                    }
                }
            }
        }
    }

    // Computes input-gradient plane `plane` (= n · channels + c): the transpose of ForwardPlane, summed over the
    // channel's `multiplier` output planes in order.
    private static void InputGradientPlane(in WindowGeometry g, int plane, int multiplier, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient, int width)
    {
        int n = plane / g.Channels, c = plane % g.Channels, outChannels = g.Channels * multiplier;
        int outH = g.OutputHeight, outW = g.OutputWidth, kh = g.KernelHeight, kw = g.KernelWidth;
        int inPlane = g.Height * g.Width, outPlane = outH * outW;
        var dx = inputGradient.Slice(plane * inPlane, inPlane);
        var taps = TapColumns(g);
        dx.Clear();
        for (int j = 0; j < multiplier; j++)
        {
            int o = (c * multiplier) + j;
            var dy = outputGradient.Slice(((n * outChannels) + o) * outPlane, outPlane);
            var filter = weight.Slice(o * kh * kw, kh * kw);
            for (int oy = 0; oy < outH; oy++)
            {
                var row = dy.Slice(oy * outW, outW);
                for (int ky = 0; ky < kh; ky++)
                {
                    int iy = (oy * g.StrideHeight) - g.PadTop + (ky * g.DilationHeight);
                    if ((uint)iy >= (uint)g.Height)
                    {
                        continue;
                    }

                    var line = dx.Slice(iy * g.Width, g.Width);
                    for (int kx = 0; kx < kw; kx++)
                    {
                        var (start, stop) = taps[kx];
                        if (start >= stop)
                        {
                            continue;
                        }

                        int ix = (start * g.StrideWidth) - g.PadLeft + (kx * g.DilationWidth);
                        float w = filter[(ky * kw) + kx];
                        if (g.StrideWidth == 1)
                        {
                            RowKernels.MultiplyAdd(line.Slice(ix, stop - start), row.Slice(start, stop - start), w, width);
                        }
                        else
                        {
                            RowKernels.ScatterMultiplyAdd(line.Slice(ix), row.Slice(start, stop - start), g.StrideWidth, w);
                        }
                    }
                }
            }
        }
    }
}
