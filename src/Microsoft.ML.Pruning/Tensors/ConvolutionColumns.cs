using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Pruning.Tensors;

/// <summary>
/// The im2col matrix of a block of samples, never stored: the GEMM's B panels are gathered straight from the input
/// (<see cref="PanelSource"/>). Column q of the block is output position (sample s, oy, ox); row r is input channel c and
/// kernel tap (ky, kx); the value is input[s, c, oy·strideH − padTop + ky·dilationH, ox·strideW − padLeft + kx·dilationW],
/// or zero in the padding. <see cref="Transposed"/> supplies colsᵀ instead (the weight gradient's B). The panels are
/// the ones the GEMM packs from the stored matrix, so results are bit for bit those of the explicit im2col.
/// </summary>
internal sealed unsafe class ConvolutionColumns : PanelSource
{
    private readonly int[] _columnBase;
    private readonly int[] _columnY;
    private readonly int[] _columnX;
    private readonly int[] _rowOffset;
    private readonly int[] _rowY;
    private readonly int[] _rowX;
    private readonly int _height;
    private readonly int _width;
    private float* _input;

    /// <summary>Builds the tables of a block.</summary>
    /// <param name="g">The window geometry.</param>
    /// <param name="samples">The samples in the block.</param>
    /// <param name="firstRow">The first row of the column matrix this source covers (a group's).</param>
    /// <param name="rows">The rows it covers.</param>
    /// <param name="transposed">Whether op(B) is colsᵀ (depth along the block's columns) rather than cols.</param>
    public ConvolutionColumns(in WindowGeometry g, int samples, int firstRow, int rows, bool transposed)
    {
        int outW = g.OutputWidth, p = g.ColumnCount, inputLength = g.Channels * g.Height * g.Width;
        _height = g.Height;
        _width = g.Width;
        Transposed = transposed;
        _columnBase = new int[samples * p];
        _columnY = new int[samples * p];
        _columnX = new int[samples * p];
        for (int q = 0; q < _columnBase.Length; q++)
        {
            int s = q / p, oy = q % p / outW, ox = q % outW;
            _columnY[q] = (oy * g.StrideHeight) - g.PadTop;
            _columnX[q] = (ox * g.StrideWidth) - g.PadLeft;
            _columnBase[q] = (s * inputLength) + (_columnY[q] * g.Width) + _columnX[q];
        }

        int taps = g.KernelHeight * g.KernelWidth;
        _rowOffset = new int[rows];
        _rowY = new int[rows];
        _rowX = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            int r = firstRow + i, c = r / taps, ky = r % taps / g.KernelWidth, kx = r % g.KernelWidth;
            _rowY[i] = ky * g.DilationHeight;
            _rowX[i] = kx * g.DilationWidth;
            _rowOffset[i] = (c * g.Height * g.Width) + (_rowY[i] * g.Width) + _rowX[i];
        }
    }

    /// <summary>Gets whether op(B) is colsᵀ.</summary>
    public bool Transposed { get; }

    /// <summary>Points the source at the block's first sample; the caller keeps the input pinned while the GEMM runs.</summary>
    /// <param name="firstSample">The block's first sample, pinned.</param>
    public void Bind(float* firstSample) => _input = firstSample;

    /// <inheritdoc/>
    public override void Pack(int p0, int depth, int j0, int columns, float* packed, int nr)
    {
        // Forward: depth runs over rows, columns over block columns. Transposed: the other way round.
        var (depthBase, depthY, depthX, columnBase, columnY, columnX) = Transposed
            ? (_columnBase, _columnY, _columnX, _rowOffset, _rowY, _rowX)
            : (_rowOffset, _rowY, _rowX, _columnBase, _columnY, _columnX);
        for (int x = 0; x < nr; x += 8)
        {
            int valid = Math.Clamp(columns - x, 0, 8);
            if (valid == 8 && Avx2.IsSupported)
            {
                PackGroup(p0, depth, j0 + x, packed + x, nr, depthBase, depthY, depthX, columnBase, columnY, columnX);
                continue;
            }

            for (int p = 0; p < depth; p++)
            {
                float* target = packed + ((nint)p * nr) + x;
                int d = p0 + p;
                for (int i = 0; i < 8; i++)
                {
                    int j = j0 + x + i;
                    target[i] = i < valid && (uint)(columnY[j] + depthY[d]) < (uint)_height && (uint)(columnX[j] + depthX[d]) < (uint)_width
                        ? _input[columnBase[j] + depthBase[d]]
                        : 0f;
                }
            }
        }
    }

    // Eight columns at once: their bases and coordinates stay in registers; each depth step is one masked gather.
    private void PackGroup(int p0, int depth, int j, float* target, int nr, int[] depthBase, int[] depthY, int[] depthX, int[] columnBase, int[] columnY, int[] columnX)
    {
        Vector256<int> bases, ys, xs;
        fixed (int* b = &columnBase[j], y = &columnY[j], x = &columnX[j])
        {
            bases = Avx.LoadVector256(b);
            ys = Avx.LoadVector256(y);
            xs = Avx.LoadVector256(x);
        }

        // Unsigned compare through the sign bit: (uint)v < (uint)limit  ⇔  (v ^ min) < (limit ^ min) as signed.
        var flip = Vector256.Create(int.MinValue);
        var height = Vector256.Create(_height ^ int.MinValue);
        var width = Vector256.Create(_width ^ int.MinValue);
        for (int p = 0; p < depth; p++)
        {
            int d = p0 + p;
            var rowY = Avx2.Xor(Avx2.Add(ys, Vector256.Create(depthY[d])), flip);
            var rowX = Avx2.Xor(Avx2.Add(xs, Vector256.Create(depthX[d])), flip);
            var mask = Avx2.And(Avx2.CompareGreaterThan(height, rowY), Avx2.CompareGreaterThan(width, rowX));
            var index = Avx2.Add(bases, Vector256.Create(depthBase[d]));
            var values = Avx2.GatherMaskVector256(Vector256<float>.Zero, _input, index, mask.AsSingle(), 4);
            Avx.Store(target + ((nint)p * nr), values);
        }
    }
}
