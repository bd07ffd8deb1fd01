namespace Microsoft.ML.Pruning.Tensors;

/// <content>The parameter gradients of the depthwise convolution.</content>
internal static partial class DepthwiseConvolution
{
    /// <summary>
    /// Writes the weight gradient (and the bias gradient when given): for each output channel, the sum over the batch of
    /// the output gradient times the shifted input. Each channel is summed by one thread, sample by sample and row by
    /// row, so the result does not depend on the thread count.
    /// </summary>
    /// <param name="g">The window geometry over one sample's input.</param>
    /// <param name="batch">The samples.</param>
    /// <param name="multiplier">The output channels per input channel.</param>
    /// <param name="input">The forward pass's input.</param>
    /// <param name="outputGradient">The output gradient.</param>
    /// <param name="weightGradient">The [channels · multiplier, 1, kernelHeight, kernelWidth] weight gradient, overwritten.</param>
    /// <param name="biasGradient">The bias gradient, overwritten; or <see langword="null"/>.</param>
    public static void ParameterGradients(in WindowGeometry g, int batch, int multiplier, FloatTensor input, FloatTensor outputGradient, FloatTensor weightGradient, FloatTensor? biasGradient)
    {
        int outChannels = g.Channels * multiplier;
        var geometry = g;
        ForEachPlane(outChannels, (o, width) => ChannelGradients(geometry, o, batch, multiplier, input.Span, outputGradient.Span, weightGradient.Span, biasGradient is null ? default : biasGradient.Span, width));
    }

    private static void ChannelGradients(in WindowGeometry g, int o, int batch, int multiplier, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient, int width)
    {
        int c = o / multiplier, outChannels = g.Channels * multiplier;
        int outH = g.OutputHeight, outW = g.OutputWidth, kh = g.KernelHeight, kw = g.KernelWidth;
        int inPlane = g.Height * g.Width, outPlane = outH * outW;
        var taps = TapColumns(g);
        var dWeight = weightGradient.Slice(o * kh * kw, kh * kw);
        dWeight.Clear();
        float dBias = 0;
        for (int n = 0; n < batch; n++)
        {
            var src = input.Slice(((n * g.Channels) + c) * inPlane, inPlane);
            var dy = outputGradient.Slice(((n * outChannels) + o) * outPlane, outPlane);
            if (!biasGradient.IsEmpty)
            {
                dBias += RowKernels.Sum(dy, width);
            }

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

                    var line = src.Slice(iy * g.Width, g.Width);
                    for (int kx = 0; kx < kw; kx++)
                    {
                        var (start, stop) = taps[kx];
                        if (start >= stop)
                        {
                            continue;
                        }

                        int ix = (start * g.StrideWidth) - g.PadLeft + (kx * g.DilationWidth);
                        dWeight[(ky * kw) + kx] += g.StrideWidth == 1
                            ? RowKernels.Dot(row.Slice(start, stop - start), line.Slice(ix, stop - start), width)
                            : RowKernels.DotStrided(row.Slice(start, stop - start), line.Slice(ix), g.StrideWidth);
                    }
                }
            }
        }

        if (!biasGradient.IsEmpty)
        {
            biasGradient[o] = dBias;
        }
    }
}
