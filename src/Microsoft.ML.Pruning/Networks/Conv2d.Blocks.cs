using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>The per-sample copies around the block GEMMs of <see cref="Conv2d"/>, split over the worker threads by sample.</summary>
public sealed partial class Conv2d
{
    // Unfolds samples [first, first + samples) into target[offset..] as one [rows, samples · p] matrix.
    private static void Unfold(WindowGeometry g, FloatTensor input, int first, int samples, float[] target, int offset)
    {
        int p = g.ColumnCount, width = samples * p, rows = g.ColumnRows, inputLength = g.Channels * g.Height * g.Width;
        WorkerPool.ForEach(samples, s => Im2Col.Unfold(g, input.Span.Slice((first + s) * inputLength, inputLength), target.AsSpan(offset + (s * p), (rows * width) - (s * p)), width));
    }

    // Folds the [rows, samples · p] column gradient back into samples [first, first + samples) of the input gradient.
    private static void Fold(WindowGeometry g, float[] columns, int first, int samples, FloatTensor inputGradient)
    {
        int p = g.ColumnCount, width = samples * p, rows = g.ColumnRows, inputLength = g.Channels * g.Height * g.Width;
        WorkerPool.ForEach(samples, s => Im2Col.Fold(g, columns.AsSpan(s * p, (rows * width) - (s * p)), inputGradient.Span.Slice((first + s) * inputLength, inputLength), width));
    }

    // Copies a [batch, channels, p] tensor's samples [first, first + samples) into block as [channels, samples · p].
    private static void Gather(FloatTensor source, int first, int samples, int channels, int p, float[] block)
    {
        int width = samples * p, length = channels * p;
        WorkerPool.ForEach(samples, s => SampleBlocks.Gather(source.Span.Slice((first + s) * length, length), channels, p, block.AsSpan(s * p, (channels * width) - (s * p)), width));
    }

    // Copies block [channels, samples · p] into samples [first, first + samples) of destination, adding the bias.
    private void Scatter(float[] block, int first, int samples, int channels, int p, FloatTensor destination)
    {
        var bias = Bias?.Value;
        int width = samples * p, length = channels * p;
        WorkerPool.ForEach(samples, s => SampleBlocks.Scatter(block.AsSpan(s * p, (channels * width) - (s * p)), width, channels, p, bias is null ? default : bias.Span, destination.Span.Slice((first + s) * length, length)));
    }

    /// <summary>Gets or sets whether the GEMMs may gather their columns from the input (for tests and benchmarks).</summary>
    internal static bool ImplicitColumnsEnabled { get; set; } = true;

    /// <summary>Gets or sets the most columns (positions of one sample) the few-columns product takes; 0 turns it off (tests, benchmarks).</summary>
    internal static int MaxFewColumns { get; set; } = 64;

    // One sample per block, of few positions (a late-stage plane at batch 1): the product reads the weights in place.
    private static bool UseFewColumns(SampleBlocks blocks, int p) =>
        blocks.PerBlock == 1 && p >= Gemm.MinFewColumns && p <= MaxFewColumns;

    // Implicit im2col needs AVX2's gathers to pay, and blocks wider than the few-column product's.
    private bool UseImplicitColumns(SampleBlocks blocks, int p) =>
        ImplicitColumnsEnabled && System.Runtime.Intrinsics.X86.Avx2.IsSupported
        && blocks[blocks.Count - 1].Samples * p > Gemm.MaxFewRows && !(IsPointwise && blocks.PerBlock == 1);

    // Y_g = W_g · cols_g for every group, the columns of samples [first, first + samples) gathered from the input.
    private unsafe void MultiplyImplicit(in WindowGeometry g, FloatTensor input, int first, int samples, Span<float> output)
    {
        int filtersPerGroup = OutChannels / Groups, rowsPerGroup = g.ColumnRows / Groups, width = samples * g.ColumnCount;
        int inputLength = g.Channels * g.Height * g.Width;
        var weight = Weight.Value.Span;
        fixed (float* x = input.Span)
        {
            for (int grp = 0; grp < Groups; grp++)
            {
                var source = Columns(g, samples, grp, transposed: false);
                source.Bind(x + ((long)first * inputLength));
                Gemm.MultiplyFromSource(false, filtersPerGroup, width, rowsPerGroup, weight.Slice(grp * filtersPerGroup * rowsPerGroup, filtersPerGroup * rowsPerGroup), rowsPerGroup,
                    source, output.Slice(grp * filtersPerGroup * width, filtersPerGroup * width), width);
            }
        }
    }

    // dW_g += dY_g · cols_gᵀ for every group, the columns gathered from the input the forward pass kept.
    private unsafe void WeightGradientImplicit(in WindowGeometry g, FloatTensor input, int first, int samples, ReadOnlySpan<float> dy)
    {
        int filtersPerGroup = OutChannels / Groups, rowsPerGroup = g.ColumnRows / Groups, width = samples * g.ColumnCount;
        int inputLength = g.Channels * g.Height * g.Width;
        var dWeight = Weight.Gradient.Span;
        fixed (float* x = input.Span)
        {
            for (int grp = 0; grp < Groups; grp++)
            {
                var source = Columns(g, samples, grp, transposed: true);
                source.Bind(x + ((long)first * inputLength));
                Gemm.MultiplyFromSource(false, filtersPerGroup, rowsPerGroup, width, dy.Slice(grp * filtersPerGroup * width, filtersPerGroup * width), width,
                    source, dWeight.Slice(grp * filtersPerGroup * rowsPerGroup, filtersPerGroup * rowsPerGroup), rowsPerGroup, accumulate: true);
            }
        }
    }

    // The gather tables of a block of `samples` samples and one group, built once per geometry.
    private ConvolutionColumns Columns(in WindowGeometry g, int samples, int group, bool transposed)
    {
        if (_sourcesGeometry != g)
        {
            _sources.Clear();
            _sourcesGeometry = g;
        }

        var key = (samples, group, transposed);
        if (!_sources.TryGetValue(key, out var source))
        {
            int rowsPerGroup = g.ColumnRows / Groups;
            _sources[key] = source = new ConvolutionColumns(g, samples, group * rowsPerGroup, rowsPerGroup, transposed);
        }

        return source;
    }
}
