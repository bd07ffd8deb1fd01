namespace Microsoft.ML.Pruning.Tensors;

/// <summary>The geometry of a 2-D sliding window over a [channels, height, width] image.</summary>
/// <param name="Channels">The input channels.</param>
/// <param name="Height">The input height.</param>
/// <param name="Width">The input width.</param>
/// <param name="KernelHeight">The window height.</param>
/// <param name="KernelWidth">The window width.</param>
/// <param name="StrideHeight">The vertical step.</param>
/// <param name="StrideWidth">The horizontal step.</param>
/// <param name="PadTop">Zero rows added above.</param>
/// <param name="PadLeft">Zero columns added on the left.</param>
/// <param name="PadBottom">Zero rows added below.</param>
/// <param name="PadRight">Zero columns added on the right.</param>
/// <param name="DilationHeight">The vertical spacing of kernel taps (1: adjacent).</param>
/// <param name="DilationWidth">The horizontal spacing of kernel taps.</param>
internal readonly record struct WindowGeometry(
    int Channels, int Height, int Width, int KernelHeight, int KernelWidth,
    int StrideHeight, int StrideWidth, int PadTop, int PadLeft, int PadBottom, int PadRight,
    int DilationHeight = 1, int DilationWidth = 1)
{
    /// <summary>Gets the output height.</summary>
    public int OutputHeight => FloorDivide(Height + PadTop + PadBottom - (((KernelHeight - 1) * DilationHeight) + 1), StrideHeight) + 1;

    /// <summary>Gets the output width.</summary>
    public int OutputWidth => FloorDivide(Width + PadLeft + PadRight - (((KernelWidth - 1) * DilationWidth) + 1), StrideWidth) + 1;

    /// <summary>Gets the rows of the column matrix: channels × kernel height × kernel width.</summary>
    public int ColumnRows => Channels * KernelHeight * KernelWidth;

    /// <summary>Gets the columns of the column matrix: output height × output width.</summary>
    public int ColumnCount => OutputHeight * OutputWidth;

    /// <summary>Gets the first and one-past-last output columns whose input column <c>ox·stride - pad + kx·dilation</c> lies inside the image.</summary>
    public (int Start, int End) ValidColumns(int kx)
    {
        kx *= DilationWidth;
        int start = 0;
        while (start < OutputWidth && (start * StrideWidth) - PadLeft + kx < 0)
        {
            start++;
        }

        int end = OutputWidth;
        while (end > start && ((end - 1) * StrideWidth) - PadLeft + kx >= Width)
        {
            end--;
        }

        return (start, end);
    }

    // Rounds towards negative infinity, so that a window larger than the padded input gives no output rather than one.
    private static int FloorDivide(int value, int divisor) => value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor);
}

/// <summary>Unfolds image windows into a column matrix and folds gradients back (im2col / col2im).</summary>
internal static class Im2Col
{
    /// <summary>Writes the [ColumnRows, ColumnCount] matrix of <paramref name="image"/>'s windows into <paramref name="columns"/>.</summary>
    public static void Unfold(in WindowGeometry g, ReadOnlySpan<float> image, Span<float> columns) => Unfold(g, image, columns, g.ColumnCount);

    /// <summary>
    /// Writes the [ColumnRows, ColumnCount] matrix of <paramref name="image"/>'s windows into <paramref name="columns"/>,
    /// whose rows are <paramref name="rowStride"/> values apart: the columns of several samples side by side.
    /// </summary>
    public static void Unfold(in WindowGeometry g, ReadOnlySpan<float> image, Span<float> columns, int rowStride)
    {
        int outH = g.OutputHeight, outW = g.OutputWidth, plane = g.Height * g.Width;
        int row = 0;
        for (int c = 0; c < g.Channels; c++)
        {
            var channel = image.Slice(c * plane, plane);
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                for (int kx = 0; kx < g.KernelWidth; kx++, row++)
                {
                    var dst = columns.Slice(row * rowStride, outH * outW);
                    var (start, end) = g.ValidColumns(kx);
                    for (int oy = 0; oy < outH; oy++)
                    {
                        var line = dst.Slice(oy * outW, outW);
                        int iy = (oy * g.StrideHeight) - g.PadTop + (ky * g.DilationHeight);
                        if ((uint)iy >= (uint)g.Height || start >= end)
                        {
                            line.Clear();
                            continue;
                        }

                        line[..start].Clear();
                        line[end..].Clear();
                        var src = channel.Slice(iy * g.Width, g.Width);
                        int ix = (start * g.StrideWidth) - g.PadLeft + (kx * g.DilationWidth);
                        if (g.StrideWidth == 1)
                        {
                            src.Slice(ix, end - start).CopyTo(line[start..end]);
                        }
                        else
                        {
                            for (int ox = start; ox < end; ox++, ix += g.StrideWidth)
                            {
                                line[ox] = src[ix];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Adds the column-matrix gradient <paramref name="columns"/> back into the image gradient <paramref name="image"/> (which is cleared first).</summary>
    public static void Fold(in WindowGeometry g, ReadOnlySpan<float> columns, Span<float> image) => Fold(g, columns, image, g.ColumnCount);

    /// <summary>
    /// Adds the column-matrix gradient <paramref name="columns"/>, whose rows are <paramref name="rowStride"/> values
    /// apart, back into the image gradient <paramref name="image"/> (which is cleared first).
    /// </summary>
    public static void Fold(in WindowGeometry g, ReadOnlySpan<float> columns, Span<float> image, int rowStride)
    {
        image.Clear();
        int outH = g.OutputHeight, outW = g.OutputWidth, plane = g.Height * g.Width;
        int row = 0;
        for (int c = 0; c < g.Channels; c++)
        {
            var channel = image.Slice(c * plane, plane);
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                for (int kx = 0; kx < g.KernelWidth; kx++, row++)
                {
                    var src = columns.Slice(row * rowStride, outH * outW);
                    var (start, end) = g.ValidColumns(kx);
                    for (int oy = 0; oy < outH; oy++)
                    {
                        int iy = (oy * g.StrideHeight) - g.PadTop + (ky * g.DilationHeight);
                        if ((uint)iy >= (uint)g.Height || start >= end)
                        {
                            continue;
                        }

                        var line = src.Slice(oy * outW, outW);
                        var dst = channel.Slice(iy * g.Width, g.Width);
                        int ix = (start * g.StrideWidth) - g.PadLeft + (kx * g.DilationWidth);
                        if (g.StrideWidth == 1)
                        {
                            VectorOps.Add(dst.Slice(ix, end - start), line[start..end]);
                        }
                        else
                        {
                            for (int ox = start; ox < end; ox++, ix += g.StrideWidth)
                            {
                                dst[ix] += line[ox];
                            }
                        }
                    }
                }
            }
        }
    }
}
