namespace Microsoft.ML.Pruning.Tensors;

/// <summary>
/// A zero-padded input plane split into its stride phases, so that every kernel tap of a strided, dilated window reads
/// one contiguous run of memory. Phase (a, b) holds the padded plane's rows a, a + strideH, ... and columns
/// b, b + strideW, ..., in a grid of <see cref="Height"/> × <see cref="Width"/>. Output position (y, x) is computed at
/// index y · <see cref="Width"/> + x of that grid, and tap (ky, kx) reads its phase at the same index plus
/// <see cref="TapOffsets"/>: over the whole plane, one multiply-add of <see cref="RunLength"/> values per tap, whatever
/// the plane size (a 2x2 plane included). Columns x ≥ the output width are computed too and dropped.
/// </summary>
internal sealed class PhasePlanes
{
    private readonly WindowGeometry _g;

    /// <summary>Initializes the layout for a geometry.</summary>
    /// <param name="g">The window geometry.</param>
    public PhasePlanes(in WindowGeometry g)
    {
        _g = g;
        int paddedHeight = g.Height + g.PadTop + g.PadBottom, paddedWidth = g.Width + g.PadLeft + g.PadRight;
        Height = (paddedHeight + g.StrideHeight - 1) / g.StrideHeight;
        Width = (paddedWidth + g.StrideWidth - 1) / g.StrideWidth;
        RunLength = g.OutputHeight * Width;

        // Junk columns of the last row read up to (the widest column offset) values past a phase's grid.
        int widest = ((g.KernelWidth - 1) * g.DilationWidth) / g.StrideWidth;
        _phaseLength = (Height * Width) + widest;
        Length = g.StrideHeight * g.StrideWidth * _phaseLength;
        TapOffsets = new int[g.KernelHeight * g.KernelWidth];
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int a = ky * g.DilationHeight, b = kx * g.DilationWidth;
                int phase = ((a % g.StrideHeight) * g.StrideWidth) + (b % g.StrideWidth);
                TapOffsets[(ky * g.KernelWidth) + kx] = (phase * _phaseLength) + ((a / g.StrideHeight) * Width) + (b / g.StrideWidth);
            }
        }
    }

    private readonly int _phaseLength;

    /// <summary>Gets the geometry the layout was made for.</summary>
    public WindowGeometry Geometry => _g;

    /// <summary>Gets the rows of each phase grid.</summary>
    public int Height { get; }

    /// <summary>Gets the columns of each phase grid: the row stride of the computed output.</summary>
    public int Width { get; }

    /// <summary>Gets the values one tap's run covers: output height × <see cref="Width"/>.</summary>
    public int RunLength { get; }

    /// <summary>Gets, per kernel tap (row-major), where its run starts in the phase buffer.</summary>
    public int[] TapOffsets { get; }

    /// <summary>Gets the length of the buffer that holds all phases.</summary>
    public int Length { get; }

    /// <summary>Writes the zero-padded phases of <paramref name="plane"/> (an input plane) into <paramref name="phases"/>.</summary>
    public void Split(ReadOnlySpan<float> plane, Span<float> phases) => Split(plane, phases, 0f);

    /// <summary>Writes the phases of <paramref name="plane"/>, padded with <paramref name="padding"/>, into <paramref name="phases"/>.</summary>
    public void Split(ReadOnlySpan<float> plane, Span<float> phases, float padding)
    {
        var g = _g;
        phases[..Length].Fill(padding);
        for (int a = 0; a < g.StrideHeight; a++)
        {
            for (int b = 0; b < g.StrideWidth; b++)
            {
                var phase = phases.Slice(((a * g.StrideWidth) + b) * _phaseLength, _phaseLength);
                var (first, end, start) = Columns(b);
                for (int r = 0; r < Height; r++)
                {
                    int iy = (r * g.StrideHeight) + a - g.PadTop;
                    if ((uint)iy >= (uint)g.Height || first >= end)
                    {
                        continue;
                    }

                    var source = plane.Slice(iy * g.Width, g.Width);
                    var target = phase.Slice(r * Width, Width);
                    if (g.StrideWidth == 1)
                    {
                        source.Slice(start, end - first).CopyTo(target[first..end]);
                        continue;
                    }

                    for (int j = first, ix = start; j < end; j++, ix += g.StrideWidth)
                    {
                        target[j] = source[ix];
                    }
                }
            }
        }
    }

    /// <summary>The transpose of <see cref="Split(ReadOnlySpan{float}, Span{float})"/>: writes the input-plane values of <paramref name="phases"/> into <paramref name="plane"/>, dropping the padding.</summary>
    public void Merge(ReadOnlySpan<float> phases, Span<float> plane)
    {
        var g = _g;
        for (int a = 0; a < g.StrideHeight; a++)
        {
            for (int b = 0; b < g.StrideWidth; b++)
            {
                var phase = phases.Slice(((a * g.StrideWidth) + b) * _phaseLength, _phaseLength);
                var (first, end, start) = Columns(b);
                for (int r = 0; r < Height; r++)
                {
                    int iy = (r * g.StrideHeight) + a - g.PadTop;
                    if ((uint)iy >= (uint)g.Height || first >= end)
                    {
                        continue;
                    }

                    var target = plane.Slice(iy * g.Width, g.Width);
                    var source = phase.Slice(r * Width, Width);
                    if (g.StrideWidth == 1)
                    {
                        source[first..end].CopyTo(target.Slice(start, end - first));
                        continue;
                    }

                    for (int j = first, ix = start; j < end; j++, ix += g.StrideWidth)
                    {
                        target[ix] = source[j];
                    }
                }
            }
        }
    }

    /// <summary>Copies the valid columns of a computed run (row stride <see cref="Width"/>) into an output plane.</summary>
    public void CopyOut(ReadOnlySpan<float> run, Span<float> output)
    {
        int outW = _g.OutputWidth;
        for (int y = 0; y < _g.OutputHeight; y++)
        {
            run.Slice(y * Width, outW).CopyTo(output.Slice(y * outW, outW));
        }
    }

    /// <summary>Copies an output plane into a run (row stride <see cref="Width"/>) whose extra columns are zero.</summary>
    public void CopyIn(ReadOnlySpan<float> output, Span<float> run)
    {
        int outW = _g.OutputWidth;
        for (int y = 0; y < _g.OutputHeight; y++)
        {
            var row = run.Slice(y * Width, Width);
            output.Slice(y * outW, outW).CopyTo(row);
            row[outW..].Clear();
        }
    }

    // The phase columns [first, end) of column phase b that fall inside the image, and the image column of `first`.
    private (int First, int End, int Start) Columns(int b)
    {
        var g = _g;
        int first = 0;
        while (first < Width && (first * g.StrideWidth) + b - g.PadLeft < 0)
        {
            first++;
        }

        int end = first;
        while (end < Width && (end * g.StrideWidth) + b - g.PadLeft < g.Width)
        {
            end++;
        }

        return (first, end, (first * g.StrideWidth) + b - g.PadLeft);
    }
}
