namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// Shrinks planes by exact area averaging: each output pixel is the overlap-weighted mean of the input pixels it covers.
/// </summary>
/// <remarks>
/// The filter is separable, so a plane is filtered along its rows and then along its columns. Weights are computed
/// with integer arithmetic: along an axis of <c>n</c> input and <c>m</c> output pixels, measured in units of
/// 1/(n·m) of the axis, input pixel <c>i</c> covers [i·m, (i+1)·m) and output pixel <c>j</c> covers [j·n, (j+1)·n).
/// The overlaps are therefore exact integers, and the weights of one output pixel (overlap / n) sum to 1.
/// </remarks>
internal static class AreaResampler
{
    /// <summary>Resamples <paramref name="planes"/> planes of [inHeight, inWidth] into planes of [outHeight, outWidth].</summary>
    /// <param name="input">The input planes, one after the other.</param>
    /// <param name="output">Receives the output planes.</param>
    /// <param name="planes">The number of planes (samples × channels).</param>
    /// <param name="inHeight">The input height.</param>
    /// <param name="inWidth">The input width.</param>
    /// <param name="outHeight">The output height, at most <paramref name="inHeight"/>.</param>
    /// <param name="outWidth">The output width, at most <paramref name="inWidth"/>.</param>
    public static void Resample(ReadOnlySpan<float> input, Span<float> output, int planes, int inHeight, int inWidth, int outHeight, int outWidth)
    {
        AxisWeights rows = AxisWeights.Create(inHeight, outHeight);
        AxisWeights columns = AxisWeights.Create(inWidth, outWidth);
        var temp = new float[inHeight * outWidth];
        int inPlane = inHeight * inWidth, outPlane = outHeight * outWidth;
        for (int p = 0; p < planes; p++)
        {
            ReadOnlySpan<float> source = input.Slice(p * inPlane, inPlane);
            Span<float> destination = output.Slice(p * outPlane, outPlane);

            // Along each row: temp[y, x'] = sum over k of wx[x', k] * source[y, first(x') + k].
            for (int y = 0; y < inHeight; y++)
            {
                columns.Apply(source.Slice(y * inWidth, inWidth), temp.AsSpan(y * outWidth, outWidth));
            }

            // Along each column: destination[y', x'] = sum over k of wy[y', k] * temp[first(y') + k, x'].
            for (int oy = 0; oy < outHeight; oy++)
            {
                Span<float> row = destination.Slice(oy * outWidth, outWidth);
                row.Clear();
                int first = rows.First[oy];
                for (int k = 0; k < rows.Count[oy]; k++)
                {
                    float weight = rows.Weights[rows.Offset[oy] + k];
                    ReadOnlySpan<float> tempRow = temp.AsSpan((first + k) * outWidth, outWidth);
                    for (int x = 0; x < outWidth; x++)
                    {
                        row[x] += weight * tempRow[x];
                    }
                }
            }
        }
    }

    /// <summary>The area weights of one axis: output pixel j averages input pixels First[j] .. First[j] + Count[j] - 1.</summary>
    internal sealed class AxisWeights
    {
        private AxisWeights(int[] first, int[] count, int[] offset, float[] weights)
        {
            First = first;
            Count = count;
            Offset = offset;
            Weights = weights;
        }

        /// <summary>Gets the first input pixel of each output pixel.</summary>
        public int[] First { get; }

        /// <summary>Gets the number of input pixels of each output pixel.</summary>
        public int[] Count { get; }

        /// <summary>Gets where the weights of each output pixel start in <see cref="Weights"/>.</summary>
        public int[] Offset { get; }

        /// <summary>Gets the weights of all output pixels, one run per output pixel.</summary>
        public float[] Weights { get; }

        /// <summary>Computes the weights for shrinking an axis of <paramref name="inSize"/> pixels to <paramref name="outSize"/>.</summary>
        /// <param name="inSize">The input length.</param>
        /// <param name="outSize">The output length, in [1, inSize].</param>
        /// <returns>The weights.</returns>
        public static AxisWeights Create(int inSize, int outSize)
        {
            var first = new int[outSize];
            var count = new int[outSize];
            var offset = new int[outSize];
            var weights = new List<float>(inSize + outSize);
            for (int j = 0; j < outSize; j++)
            {
                // In units where input pixel i spans [i * outSize, (i + 1) * outSize), output pixel j spans [j * inSize, (j + 1) * inSize).
                long start = (long)j * inSize, end = start + inSize;
                int i0 = (int)(start / outSize);
                int i1 = (int)((end + outSize - 1) / outSize);
                first[j] = i0;
                count[j] = i1 - i0;
                offset[j] = weights.Count;
                for (int i = i0; i < i1; i++)
                {
                    long overlap = Math.Min(end, (long)(i + 1) * outSize) - Math.Max(start, (long)i * outSize);
                    weights.Add((float)((double)overlap / inSize));
                }
            }

            return new AxisWeights(first, count, offset, weights.ToArray());
        }

        /// <summary>Filters one line of input pixels into one line of output pixels.</summary>
        /// <param name="source">The input line.</param>
        /// <param name="destination">The output line.</param>
        public void Apply(ReadOnlySpan<float> source, Span<float> destination)
        {
            for (int j = 0; j < destination.Length; j++)
            {
                float sum = 0;
                int first = First[j], offset = Offset[j];
                for (int k = 0; k < Count[j]; k++)
                {
                    sum += Weights[offset + k] * source[first + k];
                }

                destination[j] = sum;
            }
        }
    }
}
