using System.Runtime.InteropServices;

namespace Microsoft.ML.Pruning.Tensors;

/// <summary>
/// The depthwise convolution (one kernel per channel, multiplier 1) for small planes, vectorized across channels
/// instead of along rows: each sample is transposed to a channel-last [positions, channels] layout, every output
/// position sums its valid taps with one vector multiply-add per block of channels, and the result is transposed back.
/// A late-stage 2x2 or 4x4 plane has far too few values per row to fill a vector, but hundreds of channels. The tap
/// tables come from the geometry alone; forward and input gradient split the samples over the threads, the weight
/// gradient splits the channel blocks and sums samples in order, so results do not depend on the thread count.
/// </summary>
internal static class DepthwiseChannelsLast
{
    /// <summary>
    /// Gets or sets the largest output plane (height × width) this layout is used for; larger planes run row by row
    /// (<see cref="DepthwiseConvolution"/>). Chosen by measurement (bench/NOTES.md); settable for tests and benchmarks.
    /// </summary>
    internal static int MaxPlane { get; set; } = 256;

    [ThreadStatic]
    private static float[]? _sample;

    [ThreadStatic]
    private static float[]? _result;

    [ThreadStatic]
    private static float[]? _tables;

    /// <summary>Gets the channels rounded up to whole vectors of the active width.</summary>
    /// <param name="channels">The channels.</param>
    /// <returns>The padded channel count, the row stride of the channel-last buffers.</returns>
    public static int PaddedChannels(int channels)
    {
        int lanes = RowKernels.Width / 32;
        return (channels + lanes - 1) / lanes * lanes;
    }

    /// <summary>
    /// Computes the forward pass; keeps each sample's channel-last input in <paramref name="keep"/> when given, and applies
    /// <paramref name="epilogue"/> (an inference pass's fusion) to the channel-last result, across channels.
    /// </summary>
    public static void Forward(in WindowGeometry g, int batch, FloatTensor input, FloatTensor weight, FloatTensor? bias, FloatTensor output, float[]? keep, ConvolutionEpilogue? epilogue = null)
    {
        var taps = Taps(g);
        int channels = g.Channels, cp = PaddedChannels(channels), inPlane = g.Height * g.Width, outPlane = g.OutputHeight * g.OutputWidth;
        // The per-channel tables of this call, [taps + 3, cp]: the transposed weights, the bias, the epilogue's scale and
        // shift; in the calling thread's buffer (the workers only read them), so that a pass allocates nothing.
        var tables = ScratchBuffer.Get(ref _tables, (taps.Count + 3) * cp);
        tables.Clear();
        TransposedWeights(weight, channels, cp, taps.Count, tables);
        var biases = _tables.AsSpan(taps.Count * cp, cp);
        bias?.Span.CopyTo(biases);
        var scale = _tables.AsSpan((taps.Count + 1) * cp, cp);
        var shift = _tables.AsSpan((taps.Count + 2) * cp, cp);
        for (int c = 0; epilogue is not null && c < channels; c++)
        {
            (scale[c], shift[c]) = epilogue.Scale is null ? (1f, 0f) : (epilogue.Scale[c], epilogue.Shift![c]);
        }

        int width = RowKernels.Width;
        float[] table = _tables!;
        int biasAt = taps.Count * cp;

        WorkerPool.ForEach(batch, n =>
        {
            var sample = keep is null ? ScratchBuffer.Get(ref _sample, inPlane * cp) : keep.AsSpan(n * inPlane * cp, inPlane * cp);
            var result = ScratchBuffer.Get(ref _result, outPlane * cp);
            Transposition.Transpose(input.Span.Slice(n * channels * inPlane, channels * inPlane), channels, inPlane, inPlane, sample, cp);
            switch (width)
            {
                case 512: Accumulate<Simd512>(taps.ByOutput, taps.ByOutputStart, sample, table, table.AsSpan(biasAt, cp), result, cp); break;
                case 256: Accumulate<Simd256>(taps.ByOutput, taps.ByOutputStart, sample, table, table.AsSpan(biasAt, cp), result, cp); break;
                default: Accumulate<Simd128>(taps.ByOutput, taps.ByOutputStart, sample, table, table.AsSpan(biasAt, cp), result, cp); break;
            }

            if (epilogue is not null)
            {
                var scaleRow = table.AsSpan(biasAt + cp, cp);
                var shiftRow = table.AsSpan(biasAt + (2 * cp), cp);
                switch (width)
                {
                    case 512: ScaleShiftClip<Simd512>(result, scaleRow, shiftRow, epilogue.Scale is not null, epilogue.Low, epilogue.High, cp); break;
                    case 256: ScaleShiftClip<Simd256>(result, scaleRow, shiftRow, epilogue.Scale is not null, epilogue.Low, epilogue.High, cp); break;
                    default: ScaleShiftClip<Simd128>(result, scaleRow, shiftRow, epilogue.Scale is not null, epilogue.Low, epilogue.High, cp); break;
                }
            }

            Transposition.Transpose(result, outPlane, channels, cp, output.Span.Slice(n * channels * outPlane, channels * outPlane), outPlane);
        });
    }

    /// <summary>Transposes the output gradient of every sample to channel-last into <paramref name="target"/>.</summary>
    public static void TransposeGradient(in WindowGeometry g, int batch, FloatTensor outputGradient, float[] target)
    {
        int channels = g.Channels, cp = PaddedChannels(channels), outPlane = g.OutputHeight * g.OutputWidth;
        WorkerPool.ForEach(batch, n => Transposition.Transpose(outputGradient.Span.Slice(n * channels * outPlane, channels * outPlane), channels, outPlane, outPlane, target.AsSpan(n * outPlane * cp, outPlane * cp), cp));
    }

    /// <summary>Writes the input gradient from the channel-last output gradient of <see cref="TransposeGradient"/>.</summary>
    public static void InputGradient(in WindowGeometry g, int batch, float[] gradient, FloatTensor weight, FloatTensor inputGradient)
    {
        var taps = Taps(g);
        int channels = g.Channels, cp = PaddedChannels(channels), inPlane = g.Height * g.Width, outPlane = g.OutputHeight * g.OutputWidth;
        var tables = ScratchBuffer.Get(ref _tables, (taps.Count + 1) * cp);
        tables.Clear();
        TransposedWeights(weight, channels, cp, taps.Count, tables);
        float[] table = _tables!;
        int zeroAt = taps.Count * cp;
        int width = RowKernels.Width;
        WorkerPool.ForEach(batch, n =>
        {
            var dy = gradient.AsSpan(n * outPlane * cp, outPlane * cp);
            var result = ScratchBuffer.Get(ref _result, inPlane * cp);
            switch (width)
            {
                case 512: Accumulate<Simd512>(taps.ByInput, taps.ByInputStart, dy, table, table.AsSpan(zeroAt, cp), result, cp); break;
                case 256: Accumulate<Simd256>(taps.ByInput, taps.ByInputStart, dy, table, table.AsSpan(zeroAt, cp), result, cp); break;
                default: Accumulate<Simd128>(taps.ByInput, taps.ByInputStart, dy, table, table.AsSpan(zeroAt, cp), result, cp); break;
            }

            Transposition.Transpose(result, inPlane, channels, cp, inputGradient.Span.Slice(n * channels * inPlane, channels * inPlane), inPlane);
        });
    }

    /// <summary>
    /// Writes the weight and bias gradients from the kept channel-last inputs and output gradients. The batch is swept
    /// once, position by position, adding dy · x into a [taps + 1, channels] table of sums that stays in L1; the
    /// threads split the channels, so each sum is taken in the same order at any thread count.
    /// </summary>
    public static void ParameterGradients(in WindowGeometry g, int batch, float[] inputs, float[] gradient, FloatTensor weightGradient, FloatTensor? biasGradient)
    {
        var taps = Taps(g);
        int channels = g.Channels, cp = PaddedChannels(channels), lanes = RowKernels.Width / 32;
        var result = new float[(taps.Count + 1) * cp];
        int blocks = cp / lanes, width = RowKernels.Width;
        int inPlane = g.Height * g.Width, outPlane = g.OutputHeight * g.OutputWidth;
        int parts = Math.Min(WorkerPool.Parts, blocks);
        WorkerPool.Run(parts, part =>
        {
            int first = (int)((long)blocks * part / parts) * lanes, end = (int)((long)blocks * (part + 1) / parts) * lanes;
            switch (width)
            {
                case 512: Gradients<Simd512>(taps, first, end, batch, inPlane, outPlane, inputs, gradient, result, cp); break;
                case 256: Gradients<Simd256>(taps, first, end, batch, inPlane, outPlane, inputs, gradient, result, cp); break;
                default: Gradients<Simd128>(taps, first, end, batch, inPlane, outPlane, inputs, gradient, result, cp); break;
            }
        });

        Transposition.Transpose(result, taps.Count, channels, cp, weightGradient.Span, taps.Count);
        if (biasGradient is not null)
        {
            result.AsSpan(taps.Count * cp, channels).CopyTo(biasGradient.Span);
        }
    }

    // For each target position p: result[p] = bias + Σ over its (tap, source position) pairs of weight[tap] · source[position],
    // per channel; four vectors of channels at a time, so that each pair's offsets are read once per four.
    private static void Accumulate<T>(int[] pairs, int[] starts, ReadOnlySpan<float> source, float[] weights, ReadOnlySpan<float> bias, Span<float> result, int cp)
        where T : struct, ISimd<T>
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        ref float w = ref MemoryMarshal.GetArrayDataReference(weights);
        ref float b = ref MemoryMarshal.GetReference(bias);
        ref float r = ref MemoryMarshal.GetReference(result);
        int positions = starts.Length - 1, step = 4 * T.Count;
        for (int p = 0; p < positions; p++)
        {
            int first = starts[p], end = starts[p + 1];
            nuint target = (nuint)(p * cp);
            int c = 0;
            for (; c + step <= cp; c += step)
            {
                nuint at = (nuint)c, n = (nuint)T.Count;
                var acc0 = T.Load(ref b, at);
                var acc1 = T.Load(ref b, at + n);
                var acc2 = T.Load(ref b, at + (2 * n));
                var acc3 = T.Load(ref b, at + (3 * n));
                for (int e = first; e < end; e++)
                {
                    nuint wo = (nuint)(pairs[2 * e] * cp) + at, so = (nuint)(pairs[(2 * e) + 1] * cp) + at;
                    acc0 = T.MultiplyAdd(T.Load(ref w, wo), T.Load(ref s, so), acc0);
                    acc1 = T.MultiplyAdd(T.Load(ref w, wo + n), T.Load(ref s, so + n), acc1);
                    acc2 = T.MultiplyAdd(T.Load(ref w, wo + (2 * n)), T.Load(ref s, so + (2 * n)), acc2);
                    acc3 = T.MultiplyAdd(T.Load(ref w, wo + (3 * n)), T.Load(ref s, so + (3 * n)), acc3);
                }

                T.Store(acc0, ref r, target + at);
                T.Store(acc1, ref r, target + at + n);
                T.Store(acc2, ref r, target + at + (2 * n));
                T.Store(acc3, ref r, target + at + (3 * n));
            }

            for (; c < cp; c += T.Count)
            {
                var acc = T.Load(ref b, (nuint)c);
                for (int e = first; e < end; e++)
                {
                    acc = T.MultiplyAdd(T.Load(ref w, (nuint)((pairs[2 * e] * cp) + c)), T.Load(ref s, (nuint)((pairs[(2 * e) + 1] * cp) + c)), acc);
                }

                T.Store(acc, ref r, target + (nuint)c);
            }
        }
    }

    // Each position's row of cp channels: v · scale + shift (when affine), clamped to [low, high], as the epilogue on planes.
    private static void ScaleShiftClip<T>(Span<float> rows, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, bool affine, float low, float high, int cp)
        where T : struct, ISimd<T>
    {
        ref float r = ref MemoryMarshal.GetReference(rows);
        ref float a = ref MemoryMarshal.GetReference(scale);
        ref float b = ref MemoryMarshal.GetReference(shift);
        var lo = T.Create(low);
        var hi = T.Create(high);
        for (nuint at = 0, end = (nuint)rows.Length; at < end; at += (nuint)cp)
        {
            for (nuint c = 0; c < (nuint)cp; c += (nuint)T.Count)
            {
                var v = T.Load(ref r, at + c);
                if (affine)
                {
                    v = T.MultiplyAdd(v, T.Load(ref a, c), T.Load(ref b, c));
                }

                T.Store(T.Min(hi, T.Max(lo, v)), ref r, at + c);
            }
        }
    }

    // Channels [first, end): sums[tap] += dy[output] · x[input] over every sample and (tap, input) pair of every output
    // position, and sums[taps] += dy, in sample and position order.
    private static void Gradients<T>(TapTable taps, int first, int end, int batch, int inPlane, int outPlane, float[] inputs, float[] gradient, float[] sums, int cp)
        where T : struct, ISimd<T>
    {
        ref float x = ref MemoryMarshal.GetArrayDataReference(inputs);
        ref float dy = ref MemoryMarshal.GetArrayDataReference(gradient);
        ref float r = ref MemoryMarshal.GetArrayDataReference(sums);
        var pairs = taps.ByOutput;
        var starts = taps.ByOutputStart;
        nuint biasRow = (nuint)(taps.Count * cp);
        for (int n = 0; n < batch; n++)
        {
            for (int p = 0; p < outPlane; p++)
            {
                nuint dyRow = (nuint)(((n * outPlane) + p) * cp);
                for (int c = first; c < end; c += T.Count)
                {
                    T.Store(T.Add(T.Load(ref r, biasRow + (nuint)c), T.Load(ref dy, dyRow + (nuint)c)), ref r, biasRow + (nuint)c);
                }

                for (int e = starts[p]; e < starts[p + 1]; e++)
                {
                    nuint sumRow = (nuint)(pairs[2 * e] * cp), xRow = (nuint)(((n * inPlane) + pairs[(2 * e) + 1]) * cp);
                    for (int c = first; c < end; c += T.Count)
                    {
                        nuint at = (nuint)c;
                        T.Store(T.MultiplyAdd(T.Load(ref dy, dyRow + at), T.Load(ref x, xRow + at), T.Load(ref r, sumRow + at)), ref r, sumRow + at);
                    }
                }
            }
        }
    }

    // Writes the [taps, cp] transpose of the [channels, taps] weight into a cleared target (zero in the padding channels).
    private static void TransposedWeights(FloatTensor weight, int channels, int cp, int taps, Span<float> target) =>
        Transposition.Transpose(weight.Span, channels, taps, taps, target, cp);

    // The tap tables of the geometries seen so far (a network has a handful); built once, read by every pass.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<WindowGeometry, TapTable> TapTables = new();

    private static TapTable Taps(in WindowGeometry g)
    {
        if (TapTables.TryGetValue(g, out var taps))
        {
            return taps;
        }

        if (TapTables.Count > 256)
        {
            TapTables.Clear();
        }

        return TapTables[g] = new TapTable(g);
    }

    /// <summary>
    /// The valid (tap, input position) pairs of every output position, the (tap, output position) pairs of every input
    /// position, and the (output position, input position) pairs of every tap, in compressed-row form (pairs flattened).
    /// </summary>
    private sealed class TapTable
    {
        public TapTable(in WindowGeometry g)
        {
            Count = g.KernelHeight * g.KernelWidth;
            int outPlane = g.OutputHeight * g.OutputWidth, inPlane = g.Height * g.Width;
            var pairs = new List<(int Output, int Tap, int Input)>();
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int iy = (oy * g.StrideHeight) - g.PadTop + (ky * g.DilationHeight);
                            int ix = (ox * g.StrideWidth) - g.PadLeft + (kx * g.DilationWidth);
                            if ((uint)iy < (uint)g.Height && (uint)ix < (uint)g.Width)
                            {
                                pairs.Add(((oy * g.OutputWidth) + ox, (ky * g.KernelWidth) + kx, (iy * g.Width) + ix));
                            }
                        }
                    }
                }
            }

            (ByOutput, ByOutputStart) = Compress(pairs, outPlane, e => e.Output, e => (e.Tap, e.Input));
            (ByInput, ByInputStart) = Compress(pairs, inPlane, e => e.Input, e => (e.Tap, e.Output));
        }

        public int Count { get; }

        public int[] ByOutput { get; }

        public int[] ByOutputStart { get; }

        public int[] ByInput { get; }

        public int[] ByInputStart { get; }

        private static (int[] Pairs, int[] Starts) Compress(List<(int Output, int Tap, int Input)> pairs, int rows, Func<(int Output, int Tap, int Input), int> row, Func<(int Output, int Tap, int Input), (int, int)> value)
        {
            var starts = new int[rows + 1];
            foreach (var pair in pairs)
            {
                starts[row(pair) + 1]++;
            }

            for (int i = 0; i < rows; i++)
            {
                starts[i + 1] += starts[i];
            }

            var flat = new int[2 * pairs.Count];
            var next = (int[])starts.Clone();
            foreach (var pair in pairs)
            {
                int at = next[row(pair)]++;
                (flat[2 * at], flat[(2 * at) + 1]) = value(pair);
            }

            return (flat, starts);
        }
    }
}
