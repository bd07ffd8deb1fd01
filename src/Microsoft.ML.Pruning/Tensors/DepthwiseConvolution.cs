using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Pruning.Tensors;

/// <summary>
/// The forward pass of a depthwise convolution (groups equal to the input channels), computed directly rather than as
/// im2col followed by one GEMM per group: each output plane is one input plane filtered by its own kernel.
/// </summary>
internal static class DepthwiseConvolution
{
    /// <summary>
    /// Writes the [batch, channels · multiplier, outH, outW] output of filtering every input plane by its
    /// <paramref name="multiplier"/> kernels. Output channel <c>o</c> reads input channel <c>o / multiplier</c>.
    /// Each output plane is computed by one thread in a fixed order, so results do not depend on the thread count.
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
        int outChannels = g.Channels * multiplier, planes = batch * outChannels;
        int parts = Math.Min(WorkerPool.Parts, planes);
        var geometry = g;
        WorkerPool.Run(parts, part =>
        {
            int first = (int)((long)planes * part / parts), end = (int)((long)planes * (part + 1) / parts);
            for (int plane = first; plane < end; plane++)
            {
                ForwardPlane(geometry, plane, multiplier, input.Span, weight.Span, bias is null ? default : bias.Span, output.Span);
            }
        });
    }

    // Computes output plane `plane` (= n · outChannels + o) row by row: the row starts at the bias and gets, for each
    // kernel tap whose input row is inside the image, weight × the input row segment over the tap's valid columns.
    private static void ForwardPlane(in WindowGeometry g, int plane, int multiplier, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output)
    {
        int outChannels = g.Channels * multiplier;
        int n = plane / outChannels, o = plane % outChannels, c = o / multiplier;
        int outH = g.OutputHeight, outW = g.OutputWidth, kh = g.KernelHeight, kw = g.KernelWidth;
        int inPlane = g.Height * g.Width;
        var src = input.Slice(((n * g.Channels) + c) * inPlane, inPlane);
        var dst = output.Slice(plane * outH * outW, outH * outW);
        var filter = weight.Slice(o * kh * kw, kh * kw);
        float b = bias.IsEmpty ? 0f : bias[o];

        // The valid output columns of each horizontal tap, the same for every row.
        Span<int> starts = kw <= 64 ? stackalloc int[kw] : new int[kw];
        Span<int> ends = kw <= 64 ? stackalloc int[kw] : new int[kw];
        for (int kx = 0; kx < kw; kx++)
        {
            (starts[kx], ends[kx]) = g.ValidColumns(kx);
        }

        for (int oy = 0; oy < outH; oy++)
        {
            var row = dst.Slice(oy * outW, outW);
            row.Fill(b);
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
                    int start = starts[kx], stop = ends[kx];
                    if (start >= stop)
                    {
                        continue;
                    }

                    int ix = (start * g.StrideWidth) - g.PadLeft + (kx * g.DilationWidth);
                    float w = filter[(ky * kw) + kx];
                    if (g.StrideWidth == 1)
                    {
                        MultiplyAdd(row.Slice(start, stop - start), line.Slice(ix, stop - start), w);
                    }
                    else
                    {
                        MultiplyAddStrided(row.Slice(start, stop - start), line.Slice(ix), g.StrideWidth, w);
                    }
                }
            }
        }
    }

    // row[i] += w · line[i], vectorized.
    private static void MultiplyAdd(Span<float> row, ReadOnlySpan<float> line, float w)
    {
        ref float r = ref MemoryMarshal.GetReference(row);
        ref float l = ref MemoryMarshal.GetReference(line);
        int count = row.Length, i = 0;
        if (Vector.IsHardwareAccelerated && count >= Vector<float>.Count)
        {
            var weight = new Vector<float>(w);
            for (; i <= count - Vector<float>.Count; i += Vector<float>.Count)
            {
                var acc = Vector.LoadUnsafe(ref r, (nuint)i) + (weight * Vector.LoadUnsafe(ref l, (nuint)i));
                acc.StoreUnsafe(ref r, (nuint)i);
            }
        }

        // Narrower vectors for the rest: the late layers of small images are 2-8 columns wide.
        if (Vector256.IsHardwareAccelerated && count - i >= Vector256<float>.Count)
        {
            var acc = Vector256.LoadUnsafe(ref r, (nuint)i) + (Vector256.Create(w) * Vector256.LoadUnsafe(ref l, (nuint)i));
            acc.StoreUnsafe(ref r, (nuint)i);
            i += Vector256<float>.Count;
        }

        if (Vector128.IsHardwareAccelerated && count - i >= Vector128<float>.Count)
        {
            var acc = Vector128.LoadUnsafe(ref r, (nuint)i) + (Vector128.Create(w) * Vector128.LoadUnsafe(ref l, (nuint)i));
            acc.StoreUnsafe(ref r, (nuint)i);
            i += Vector128<float>.Count;
        }

        for (; i < count; i++)
        {
            Unsafe.Add(ref r, i) += w * Unsafe.Add(ref l, i);
        }
    }

    // row[i] += w · line[i · stride].
    private static void MultiplyAddStrided(Span<float> row, ReadOnlySpan<float> line, int stride, float w)
    {
        for (int i = 0; i < row.Length; i++)
        {
            row[i] += w * line[i * stride];
        }
    }
}
