using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>The per-sample copies around the block GEMMs of <see cref="Conv2d"/>, split over the worker threads by sample.</summary>
public sealed partial class Conv2d
{
    // Unfolds samples [first, first + samples) into target[offset..] as one [rows, samples · p] matrix.
    private static void Unfold(WindowGeometry g, FloatTensor input, int first, int samples, float[] target, int offset)
    {
        int p = g.ColumnCount, width = samples * p, rows = g.ColumnRows, inputLength = g.Channels * g.Height * g.Width;
        ForEachSample(samples, s => Im2Col.Unfold(g, input.Span.Slice((first + s) * inputLength, inputLength), target.AsSpan(offset + (s * p), (rows * width) - (s * p)), width));
    }

    // Folds the [rows, samples · p] column gradient back into samples [first, first + samples) of the input gradient.
    private static void Fold(WindowGeometry g, float[] columns, int first, int samples, FloatTensor inputGradient)
    {
        int p = g.ColumnCount, width = samples * p, rows = g.ColumnRows, inputLength = g.Channels * g.Height * g.Width;
        ForEachSample(samples, s => Im2Col.Fold(g, columns.AsSpan(s * p, (rows * width) - (s * p)), inputGradient.Span.Slice((first + s) * inputLength, inputLength), width));
    }

    // Copies a [batch, channels, p] tensor's samples [first, first + samples) into block as [channels, samples · p].
    private static void Gather(FloatTensor source, int first, int samples, int channels, int p, float[] block)
    {
        int width = samples * p, length = channels * p;
        ForEachSample(samples, s => SampleBlocks.Gather(source.Span.Slice((first + s) * length, length), channels, p, block.AsSpan(s * p, (channels * width) - (s * p)), width));
    }

    // Copies block [channels, samples · p] into samples [first, first + samples) of destination, adding the bias.
    private void Scatter(float[] block, int first, int samples, int channels, int p, FloatTensor destination)
    {
        var bias = Bias?.Value;
        int width = samples * p, length = channels * p;
        ForEachSample(samples, s => SampleBlocks.Scatter(block.AsSpan(s * p, (channels * width) - (s * p)), width, channels, p, bias is null ? default : bias.Span, destination.Span.Slice((first + s) * length, length)));
    }

    private static void ForEachSample(int samples, Action<int> body)
    {
        int parts = Math.Min(WorkerPool.Parts, samples);
        WorkerPool.Run(parts, part =>
        {
            int end = (int)((long)samples * (part + 1) / parts);
            for (int s = (int)((long)samples * part / parts); s < end; s++)
            {
                body(s);
            }
        });
    }
}
