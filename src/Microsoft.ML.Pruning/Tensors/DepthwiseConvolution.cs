using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Pruning.Tensors;

/// <summary>
/// A depthwise convolution (groups equal to the input channels) computed directly rather than as im2col followed by one
/// GEMM per group: each output plane is one input plane filtered by its own kernel. Each plane is split into its
/// zero-padded stride phases (<see cref="PhasePlanes"/>), so every kernel tap is one vectorized multiply-add over the
/// whole plane (<see cref="RowKernels"/>), however small the plane and whatever the stride. The forward pass, the input
/// gradient and the parameter gradients each split their planes (or channels) over the worker threads and compute each
/// one in a fixed order, so results do not depend on the thread count.
/// </summary>
internal static partial class DepthwiseConvolution
{
    // The widest vector's lanes.
    private const int Slack = 16;

    [ThreadStatic]
    private static float[]? _phases;

    [ThreadStatic]
    private static float[]? _run;

    /// <summary>
    /// Writes the [batch, channels · multiplier, outH, outW] output of filtering every input plane by its
    /// <paramref name="multiplier"/> kernels. Output channel <c>o</c> reads input channel <c>o / multiplier</c>.
    /// </summary>
    /// <param name="g">The window geometry over one sample's [channels, height, width] input.</param>
    /// <param name="batch">The samples.</param>
    /// <param name="multiplier">The output channels per input channel.</param>
    /// <param name="input">The [batch, channels, height, width] input.</param>
    /// <param name="weight">The [channels · multiplier, 1, kernelHeight, kernelWidth] weight.</param>
    /// <param name="bias">The per-output-channel bias, or <see langword="null"/> for none.</param>
    /// <param name="output">The output, overwritten.</param>
    /// <param name="epilogue">Applied to each output plane while it is in cache (an inference pass's fusion), or <see langword="null"/>.</param>
    public static void Forward(in WindowGeometry g, int batch, int multiplier, FloatTensor input, FloatTensor weight, FloatTensor? bias, FloatTensor output, ConvolutionEpilogue? epilogue = null)
    {
        var layout = new PhasePlanes(g);
        int inPlane = g.Height * g.Width, outPlane = g.OutputHeight * g.OutputWidth, taps = g.KernelHeight * g.KernelWidth, channels = g.Channels;

        // One input plane per step: its phases are split once for its `multiplier` output planes. Each output vector
        // sums its taps in registers, bias first and then tap by tap: the order of the former tap-by-tap passes.
        int width = RowKernels.Width;
        WorkerPool.ForEach(batch * g.Channels, plane =>
        {
            Scratch(layout, out var phases, out var run);
            layout.Split(input.Span.Slice(plane * inPlane, inPlane), phases);
            int c = plane % channels;
            for (int j = 0; j < multiplier; j++)
            {
                int o = (c * multiplier) + j;
                var filter = weight.Span.Slice(o * taps, taps);
                float b = bias is null ? 0f : bias.Span[o];
                switch (width)
                {
                    case 512: Filter<Simd512>(phases, layout.TapOffsets, filter, b, run, layout.RunLength); break;
                    case 256: Filter<Simd256>(phases, layout.TapOffsets, filter, b, run, layout.RunLength); break;
                    default: Filter<Simd128>(phases, layout.TapOffsets, filter, b, run, layout.RunLength); break;
                }

                var target = output.Span.Slice(((plane * multiplier) + j) * outPlane, outPlane);
                layout.CopyOut(run, target);
                epilogue?.ApplyPlane(target, o);
            }
        });
    }

    // run[i] = bias + Σ_t filter[t] · phases[offsets[t] + i] for i < length, one vector at a time (the last one runs past
    // `length` into the slack of both buffers, and its extra lanes are dropped).
    private static void Filter<T>(ReadOnlySpan<float> phases, int[] offsets, ReadOnlySpan<float> filter, float bias, Span<float> run, int length)
        where T : struct, ISimd<T>
    {
        ref float x = ref MemoryMarshal.GetReference(phases);
        ref float r = ref MemoryMarshal.GetReference(run);
        var b = T.Create(bias);
        nuint count = (nuint)T.Count, end = (nuint)length;
        if (offsets.Length == 9)
        {
            // 3x3: the nine weights and offsets stay in registers.
            var w0 = T.Create(filter[0]); var w1 = T.Create(filter[1]); var w2 = T.Create(filter[2]);
            var w3 = T.Create(filter[3]); var w4 = T.Create(filter[4]); var w5 = T.Create(filter[5]);
            var w6 = T.Create(filter[6]); var w7 = T.Create(filter[7]); var w8 = T.Create(filter[8]);
            nuint o0 = (nuint)offsets[0], o1 = (nuint)offsets[1], o2 = (nuint)offsets[2], o3 = (nuint)offsets[3], o4 = (nuint)offsets[4];
            nuint o5 = (nuint)offsets[5], o6 = (nuint)offsets[6], o7 = (nuint)offsets[7], o8 = (nuint)offsets[8];
            for (nuint i = 0; i < end; i += count)
            {
                var acc = T.MultiplyAdd(w0, T.Load(ref x, o0 + i), b);
                acc = T.MultiplyAdd(w1, T.Load(ref x, o1 + i), acc);
                acc = T.MultiplyAdd(w2, T.Load(ref x, o2 + i), acc);
                acc = T.MultiplyAdd(w3, T.Load(ref x, o3 + i), acc);
                acc = T.MultiplyAdd(w4, T.Load(ref x, o4 + i), acc);
                acc = T.MultiplyAdd(w5, T.Load(ref x, o5 + i), acc);
                acc = T.MultiplyAdd(w6, T.Load(ref x, o6 + i), acc);
                acc = T.MultiplyAdd(w7, T.Load(ref x, o7 + i), acc);
                acc = T.MultiplyAdd(w8, T.Load(ref x, o8 + i), acc);
                T.Store(acc, ref r, i);
            }

            return;
        }

        ref float w = ref MemoryMarshal.GetReference(filter);
        for (nuint i = 0; i < end; i += count)
        {
            var acc = b;
            for (int t = 0; t < offsets.Length; t++)
            {
                acc = T.MultiplyAdd(T.Create(Unsafe.Add(ref w, t)), T.Load(ref x, (nuint)offsets[t] + i), acc);
            }

            T.Store(acc, ref r, i);
        }
    }

    /// <summary>Writes the [batch, channels, height, width] input gradient of <see cref="Forward"/>.</summary>
    /// <param name="g">The window geometry over one sample's input.</param>
    /// <param name="batch">The samples.</param>
    /// <param name="multiplier">The output channels per input channel.</param>
    /// <param name="outputGradient">The [batch, channels · multiplier, outH, outW] output gradient.</param>
    /// <param name="weight">The weight.</param>
    /// <param name="inputGradient">The input gradient, overwritten.</param>
    public static void InputGradient(in WindowGeometry g, int batch, int multiplier, FloatTensor outputGradient, FloatTensor weight, FloatTensor inputGradient)
    {
        var layout = new PhasePlanes(g);
        int inPlane = g.Height * g.Width, outPlane = g.OutputHeight * g.OutputWidth, taps = g.KernelHeight * g.KernelWidth, channels = g.Channels;
        int width = RowKernels.Width;
        WorkerPool.ForEach(batch * g.Channels, plane =>
        {
            // The transpose of the forward pass: each tap adds weight × the output gradient into its phase run.
            Scratch(layout, out var phases, out var run);
            phases.Clear();
            int c = plane % channels;
            for (int j = 0; j < multiplier; j++)
            {
                int o = (c * multiplier) + j;
                var filter = weight.Span.Slice(o * taps, taps);
                layout.CopyIn(outputGradient.Span.Slice(((plane * multiplier) + j) * outPlane, outPlane), run);
                for (int t = 0; t < taps; t++)
                {
                    RowKernels.MultiplyAdd(phases.Slice(layout.TapOffsets[t], layout.RunLength), run, filter[t], width);
                }
            }

            layout.Merge(phases, inputGradient.Span.Slice(plane * inPlane, inPlane));
        });
    }

    /// <summary>
    /// Writes the weight gradient (and the bias gradient when given): for each output channel, the sum over the batch of
    /// the output gradient times the shifted input. Each channel is summed by one thread, sample by sample, so the result
    /// does not depend on the thread count.
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
        var layout = new PhasePlanes(g);
        int inPlane = g.Height * g.Width, outPlane = g.OutputHeight * g.OutputWidth, taps = g.KernelHeight * g.KernelWidth, channels = g.Channels;
        int outChannels = g.Channels * multiplier;

        // One input channel per step, with its `multiplier` output channels, so that its phases are split once per sample.
        int width = RowKernels.Width;
        WorkerPool.ForEach(g.Channels, c =>
        {
            Scratch(layout, out var phases, out var run);
            var dWeight = weightGradient.Span.Slice(c * multiplier * taps, multiplier * taps);
            dWeight.Clear();
            Span<float> dBias = stackalloc float[multiplier];
            dBias.Clear();
            for (int n = 0; n < batch; n++)
            {
                layout.Split(input.Span.Slice(((n * channels) + c) * inPlane, inPlane), phases);
                for (int j = 0; j < multiplier; j++)
                {
                    var dy = outputGradient.Span.Slice(((n * outChannels) + (c * multiplier) + j) * outPlane, outPlane);
                    dBias[j] += RowKernels.Sum(dy, width);
                    layout.CopyIn(dy, run);
                    for (int t = 0; t < taps; t++)
                    {
                        dWeight[(j * taps) + t] += RowKernels.Dot(run, phases.Slice(layout.TapOffsets[t], layout.RunLength), width);
                    }
                }
            }

            if (biasGradient is not null)
            {
                dBias.CopyTo(biasGradient.Span.Slice(c * multiplier, multiplier));
            }
        });
    }

    // The calling thread's phase buffer and run, grown to the layout.
    private static void Scratch(PhasePlanes layout, out Span<float> phases, out Span<float> run)
    {
        // A vector of slack past each: the forward pass's last vector runs over the end of its run.
        if (_phases is null || _phases.Length < layout.Length + Slack)
        {
            _phases = new float[layout.Length + Slack];
        }

        if (_run is null || _run.Length < layout.RunLength + Slack)
        {
            _run = new float[layout.RunLength + Slack];
        }

        phases = _phases.AsSpan(0, layout.Length);
        run = _run.AsSpan(0, layout.RunLength);
    }
}
