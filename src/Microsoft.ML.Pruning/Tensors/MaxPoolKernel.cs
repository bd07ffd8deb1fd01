using System.Runtime.InteropServices;

namespace Microsoft.ML.Pruning.Tensors;

/// <summary>
/// Max pooling of one plane through its stride phases (<see cref="PhasePlanes"/>, padded with -∞): every window tap is
/// one vectorized compare-and-select over the whole plane, keeping the value and the winning tap. Taps are taken in
/// row-major order and a tap wins when it is greater or NaN, as in the scalar loop: the first maximum, or the last NaN.
/// </summary>
internal static class MaxPoolKernel
{
    [ThreadStatic]
    private static float[]? _phases;

    [ThreadStatic]
    private static float[]? _best;

    [ThreadStatic]
    private static float[]? _tap;

    /// <summary>Pools <paramref name="input"/> into <paramref name="output"/>; fills <paramref name="argMax"/> with input positions when it is not empty.</summary>
    public static void PoolPlane(PhasePlanes layout, ReadOnlySpan<float> input, Span<float> output, Span<int> argMax)
    {
        var phases = ScratchBuffer.Get(ref _phases, layout.Length);
        var best = ScratchBuffer.Get(ref _best, layout.RunLength);
        var tap = ScratchBuffer.Get(ref _tap, layout.RunLength);
        layout.Split(input, phases, float.NegativeInfinity);
        best.Fill(float.NegativeInfinity);
        tap.Fill(-1f);
        for (int t = 0; t < layout.TapOffsets.Length; t++)
        {
            var run = phases.Slice(layout.TapOffsets[t], layout.RunLength);
            switch (RowKernels.Width)
            {
                case 512: Step<Simd512>(run, best, tap, t); break;
                case 256: Step<Simd256>(run, best, tap, t); break;
                default: Step<Simd128>(run, best, tap, t); break;
            }
        }

        layout.CopyOut(best, output);
        if (!argMax.IsEmpty)
        {
            Positions(layout.Geometry, layout.Width, tap, argMax);
        }
    }

    private static void Step<T>(ReadOnlySpan<float> run, Span<float> best, Span<float> tap, int t)
        where T : struct, ISimd<T>
    {
        ref float v = ref MemoryMarshal.GetReference(run);
        ref float b = ref MemoryMarshal.GetReference(best);
        ref float k = ref MemoryMarshal.GetReference(tap);
        var index = T.Create(t);
        nuint n = (uint)run.Length, i = 0;
        for (; i + (nuint)T.Count <= n; i += (nuint)T.Count)
        {
            var value = T.Load(ref v, i);
            var current = T.Load(ref b, i);
            var wins = T.Beats(value, current);
            T.Store(T.Select(wins, value, current), ref b, i);
            T.Store(T.Select(wins, index, T.Load(ref k, i)), ref k, i);
        }

        for (; i < n; i++)
        {
            float value = System.Runtime.CompilerServices.Unsafe.Add(ref v, i);
            if (value > System.Runtime.CompilerServices.Unsafe.Add(ref b, i) || float.IsNaN(value))
            {
                System.Runtime.CompilerServices.Unsafe.Add(ref b, i) = value;
                System.Runtime.CompilerServices.Unsafe.Add(ref k, i) = t;
            }
        }
    }

    // The input position of each output's winning tap (its window's top-left corner plus the tap's offset); a window whose
    // values are all -∞ takes its first position inside the image, as the scalar loop does.
    private static void Positions(in WindowGeometry g, int runWidth, ReadOnlySpan<float> tap, Span<int> argMax)
    {
        Span<int> offsets = stackalloc int[g.KernelHeight * g.KernelWidth];
        for (int t = 0; t < offsets.Length; t++)
        {
            offsets[t] = ((t / g.KernelWidth) * g.Width) + (t % g.KernelWidth);
        }

        for (int oy = 0, o = 0; oy < g.OutputHeight; oy++)
        {
            int y0 = (oy * g.StrideHeight) - g.PadTop;
            for (int ox = 0; ox < g.OutputWidth; ox++, o++)
            {
                int t = (int)tap[(oy * runWidth) + ox], x0 = (ox * g.StrideWidth) - g.PadLeft;
                argMax[o] = t >= 0 ? (y0 * g.Width) + x0 + offsets[t] : (Math.Max(y0, 0) * g.Width) + Math.Max(x0, 0);
            }
        }
    }
}
