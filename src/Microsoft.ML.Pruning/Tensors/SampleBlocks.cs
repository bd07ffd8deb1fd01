namespace Microsoft.ML.Pruning.Tensors;

/// <summary>
/// How a convolution groups the samples of a batch into the columns of one GEMM: a late-stage plane of 2x2 has only 4
/// columns per sample, far too few to amortise packing the weights, so several samples' columns go side by side into
/// one [rows, samples · plane] matrix. The plan depends only on the shapes, so every pass of a layer (and every thread
/// count) splits the batch the same way.
/// </summary>
/// <param name="Batch">The samples in the batch.</param>
/// <param name="PerBlock">The samples per block (the last block may hold fewer).</param>
internal readonly record struct SampleBlocks(int Batch, int PerBlock)
{
    /// <summary>
    /// Gets or sets the columns one GEMM should have at least, when the batch allows; settable for the benchmark that
    /// chose it (bench/NOTES.md, <c>--kernels --gemm</c>).
    /// </summary>
    internal static int TargetColumns { get; set; } = 256;

    /// <summary>The most values a block's column matrix may hold when it takes more than one sample.</summary>
    private const long MaxBlockValues = 4L << 20;

    /// <summary>Gets the number of blocks.</summary>
    public int Count => (Batch + PerBlock - 1) / PerBlock;

    /// <summary>Gets the first sample and the sample count of block <paramref name="block"/>.</summary>
    /// <param name="block">The block index.</param>
    public (int First, int Samples) this[int block] => (block * PerBlock, Math.Min(PerBlock, Batch - (block * PerBlock)));

    /// <summary>Plans the blocks for a batch whose samples have <paramref name="columns"/> columns of <paramref name="rows"/> rows each.</summary>
    /// <param name="batch">The samples.</param>
    /// <param name="columns">The columns per sample (output height × width).</param>
    /// <param name="rows">The rows of the column matrix (channels × kernel height × kernel width).</param>
    /// <returns>The plan.</returns>
    public static SampleBlocks Plan(int batch, int columns, int rows)
    {
        int perBlock = Math.Max(1, (TargetColumns + columns - 1) / columns);
        perBlock = (int)Math.Min(perBlock, Math.Max(1, MaxBlockValues / Math.Max(1L, (long)rows * columns)));
        return new SampleBlocks(batch, Math.Max(1, Math.Min(perBlock, batch)));
    }

    /// <summary>
    /// Copies one sample's [channels, plane] values into its columns of a block matrix: channel c goes to
    /// <paramref name="block"/>[c · <paramref name="rowStride"/>] onwards (the block span starts at the sample's first column).
    /// </summary>
    public static void Gather(ReadOnlySpan<float> sample, int channels, int plane, Span<float> block, int rowStride)
    {
        for (int c = 0; c < channels; c++)
        {
            sample.Slice(c * plane, plane).CopyTo(block.Slice(c * rowStride, plane));
        }
    }

    /// <summary>
    /// The inverse of <see cref="Gather"/>: copies one sample's columns of a block matrix into its [channels, plane]
    /// values, adding <paramref name="bias"/>[c] to channel c when given.
    /// </summary>
    public static void Scatter(ReadOnlySpan<float> block, int rowStride, int channels, int plane, ReadOnlySpan<float> bias, Span<float> sample)
    {
        for (int c = 0; c < channels; c++)
        {
            var target = sample.Slice(c * plane, plane);
            block.Slice(c * rowStride, plane).CopyTo(target);
            if (!bias.IsEmpty)
            {
                VectorOps.AddScalar(target, bias[c]);
            }
        }
    }
}
