using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Pruning.Tensors;

/// <summary>
/// Vectorized element-wise activations and their backward masks, written once over <see cref="ISimd{TSelf}"/> and run
/// at the active kernel's width (<see cref="RowKernels.Width"/>); the scalar tail applies the same formula. The
/// sigmoid's exponential comes from <see cref="TensorPrimitives.Sigmoid(ReadOnlySpan{float}, Span{float})"/>, which
/// measured faster than a scalar <see cref="MathF.Exp"/> loop by far (bench/NOTES.md).
/// </summary>
internal static class ActivationKernels
{
    /// <summary>The values a chunk of the sigmoid-based kernels processes at once (its sigmoid stays in L1).</summary>
    private const int Chunk = 1024;

    /// <summary>output = min(max(input, low), high).</summary>
    public static void Clip(ReadOnlySpan<float> input, Span<float> output, float low, float high)
    {
        switch (RowKernels.Width)
        {
            case 512: Clip<Simd512>(input, output, low, high); break;
            case 256: Clip<Simd256>(input, output, low, high); break;
            default: Clip<Simd128>(input, output, low, high); break;
        }
    }

    /// <summary>inputGradient = low &lt; input &lt; high ? outputGradient : 0 (the gradient passes strictly inside, as PyTorch's hardtanh).</summary>
    public static void ClipBackward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, float low, float high)
    {
        switch (RowKernels.Width)
        {
            case 512: ClipBackward<Simd512>(input, outputGradient, inputGradient, low, high); break;
            case 256: ClipBackward<Simd256>(input, outputGradient, inputGradient, low, high); break;
            default: ClipBackward<Simd128>(input, outputGradient, inputGradient, low, high); break;
        }
    }

    /// <summary>output = x · clamp(x / 6 + 1/2, 0, 1).</summary>
    public static void HardSwish(ReadOnlySpan<float> input, Span<float> output)
    {
        switch (RowKernels.Width)
        {
            case 512: HardSwish<Simd512>(input, output, default); break;
            case 256: HardSwish<Simd256>(input, output, default); break;
            default: HardSwish<Simd128>(input, output, default); break;
        }
    }

    /// <summary>inputGradient = outputGradient · (x ≤ -3 ? 0 : x ≥ 3 ? 1 : x / 3 + 1/2), as PyTorch's <c>hardswish_backward</c> away from ±3.</summary>
    public static void HardSwishBackward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        switch (RowKernels.Width)
        {
            case 512: HardSwish<Simd512>(input, inputGradient, outputGradient); break;
            case 256: HardSwish<Simd256>(input, inputGradient, outputGradient); break;
            default: HardSwish<Simd128>(input, inputGradient, outputGradient); break;
        }
    }

    /// <summary>output = 1 / (1 + e^-x).</summary>
    public static void Sigmoid(ReadOnlySpan<float> input, Span<float> output) => TensorPrimitives.Sigmoid(input, output);

    /// <summary>inputGradient = outputGradient · y · (1 - y), from the sigmoid's output y.</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        switch (RowKernels.Width)
        {
            case 512: SigmoidBackward<Simd512>(output, outputGradient, inputGradient); break;
            case 256: SigmoidBackward<Simd256>(output, outputGradient, inputGradient); break;
            default: SigmoidBackward<Simd128>(output, outputGradient, inputGradient); break;
        }
    }

    /// <summary>output = x · sigmoid(x), a chunk at a time; <paramref name="output"/> may be <paramref name="input"/>.</summary>
    public static void Silu(ReadOnlySpan<float> input, Span<float> output)
    {
        Span<float> s = stackalloc float[Chunk];
        for (int start = 0; start < input.Length; start += Chunk)
        {
            int length = Math.Min(Chunk, input.Length - start);
            var x = input.Slice(start, length);
            TensorPrimitives.Sigmoid(x, s[..length]);
            TensorPrimitives.Multiply(x, s[..length], output.Slice(start, length));
        }
    }

    /// <summary>
    /// values = clamp(values · scale + shift, low, high) in place; without a scale (<see cref="float.NaN"/>) only the clamp.
    /// A convolution's inference epilogue: a folded BatchNorm and a ReLU or ReLU6 on one output plane.
    /// </summary>
    public static void ScaleShiftClip(Span<float> values, float scale, float shift, float low, float high)
    {
        switch (RowKernels.Width)
        {
            case 512: ScaleShiftClip<Simd512>(values, scale, shift, low, high); break;
            case 256: ScaleShiftClip<Simd256>(values, scale, shift, low, high); break;
            default: ScaleShiftClip<Simd128>(values, scale, shift, low, high); break;
        }
    }

    private static void ScaleShiftClip<T>(Span<float> values, float scale, float shift, float low, float high)
        where T : struct, ISimd<T>
    {
        ref float x = ref MemoryMarshal.GetReference(values);
        bool affine = !float.IsNaN(scale);
        var a = T.Create(affine ? scale : 1f);
        var b = T.Create(affine ? shift : 0f);
        var lo = T.Create(low);
        var hi = T.Create(high);
        nuint n = (uint)values.Length, i = 0;
        for (; i + (nuint)T.Count <= n; i += (nuint)T.Count)
        {
            var v = T.Load(ref x, i);
            if (affine)
            {
                v = T.MultiplyAdd(v, a, b);
            }

            T.Store(T.Min(hi, T.Max(lo, v)), ref x, i);
        }

        for (; i < n; i++)
        {
            float v = System.Runtime.CompilerServices.Unsafe.Add(ref x, i);
            v = affine ? MathF.FusedMultiplyAdd(v, scale, shift) : v;
            System.Runtime.CompilerServices.Unsafe.Add(ref x, i) = v < low ? low : v > high ? high : v;
        }
    }

    /// <summary>inputGradient = outputGradient · s · (1 + x · (1 - s)) with s = sigmoid(x), a chunk at a time.</summary>
    public static void SiluBackward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        Span<float> s = stackalloc float[Chunk];
        int width = RowKernels.Width;
        for (int start = 0; start < input.Length; start += Chunk)
        {
            int length = Math.Min(Chunk, input.Length - start);
            var x = input.Slice(start, length);
            TensorPrimitives.Sigmoid(x, s[..length]);
            switch (width)
            {
                case 512: SiluBackward<Simd512>(x, s[..length], outputGradient.Slice(start, length), inputGradient.Slice(start, length)); break;
                case 256: SiluBackward<Simd256>(x, s[..length], outputGradient.Slice(start, length), inputGradient.Slice(start, length)); break;
                default: SiluBackward<Simd128>(x, s[..length], outputGradient.Slice(start, length), inputGradient.Slice(start, length)); break;
            }
        }
    }

    private static void Clip<T>(ReadOnlySpan<float> input, Span<float> output, float low, float high)
        where T : struct, ISimd<T>
    {
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float y = ref MemoryMarshal.GetReference(output);
        var lo = T.Create(low);
        var hi = T.Create(high);
        nuint n = (uint)input.Length, i = 0;
        for (; i + (nuint)T.Count <= n; i += (nuint)T.Count)
        {
            // The x86 min and max return their second operand when either is NaN: x goes second, so NaN passes as in
            // the scalar formula below.
            T.Store(T.Min(hi, T.Max(lo, T.Load(ref x, i))), ref y, i);
        }

        for (; i < n; i++)
        {
            float v = System.Runtime.CompilerServices.Unsafe.Add(ref x, i);
            System.Runtime.CompilerServices.Unsafe.Add(ref y, i) = v < low ? low : v > high ? high : v;
        }
    }

    private static void ClipBackward<T>(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, float low, float high)
        where T : struct, ISimd<T>
    {
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float g = ref MemoryMarshal.GetReference(outputGradient);
        ref float d = ref MemoryMarshal.GetReference(inputGradient);
        var lo = T.Create(low);
        var hi = T.Create(high);
        nuint n = (uint)input.Length, i = 0;
        for (; i + (nuint)T.Count <= n; i += (nuint)T.Count)
        {
            T.Store(T.WhereInside(T.Load(ref x, i), lo, hi, T.Load(ref g, i)), ref d, i);
        }

        for (; i < n; i++)
        {
            float v = System.Runtime.CompilerServices.Unsafe.Add(ref x, i);
            System.Runtime.CompilerServices.Unsafe.Add(ref d, i) = v > low && v < high ? System.Runtime.CompilerServices.Unsafe.Add(ref g, i) : 0f;
        }
    }

    // Forward when `outputGradient` is empty (target = x · clamp(x/6 + 1/2, 0, 1)); otherwise the backward pass
    // (target = dy · derivative), the derivative being 0 for x ≤ -3, 1 for x ≥ 3 and x/3 + 1/2 between, decided on x
    // itself (not on the rounded x/6 + 1/2) so that it does not jump early near ±3.
    private static void HardSwish<T>(ReadOnlySpan<float> input, Span<float> target, ReadOnlySpan<float> outputGradient)
        where T : struct, ISimd<T>
    {
        const float Sixth = 1f / 6f, Third = 1f / 3f;
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float t = ref MemoryMarshal.GetReference(target);
        ref float g = ref MemoryMarshal.GetReference(outputGradient);
        bool backward = !outputGradient.IsEmpty;
        var sixth = T.Create(Sixth);
        var third = T.Create(Third);
        var half = T.Create(0.5f);
        var one = T.Create(1f);
        var three = T.Create(3f);
        var minusThree = T.Create(-3f);
        var zero = T.Zero;
        nuint n = (uint)input.Length, i = 0;
        for (; i + (nuint)T.Count <= n; i += (nuint)T.Count)
        {
            var v = T.Load(ref x, i);
            if (!backward)
            {
                T.Store(T.Multiply(v, T.Min(one, T.Max(zero, T.MultiplyAdd(sixth, v, half)))), ref t, i);
                continue;
            }

            // The two masks are disjoint, so their sum is the derivative.
            var derivative = T.Add(T.WhereInside(v, minusThree, three, T.MultiplyAdd(third, v, half)), T.WhereAtLeast(v, three, one));
            T.Store(T.Multiply(T.Load(ref g, i), derivative), ref t, i);
        }

        for (; i < n; i++)
        {
            float v = System.Runtime.CompilerServices.Unsafe.Add(ref x, i);
            System.Runtime.CompilerServices.Unsafe.Add(ref t, i) = backward
                ? System.Runtime.CompilerServices.Unsafe.Add(ref g, i) * (v <= -3f ? 0f : v >= 3f ? 1f : MathF.FusedMultiplyAdd(Third, v, 0.5f))
                : v * Math.Clamp(MathF.FusedMultiplyAdd(Sixth, v, 0.5f), 0f, 1f);
        }
    }

    private static void SigmoidBackward<T>(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
        where T : struct, ISimd<T>
    {
        ref float y = ref MemoryMarshal.GetReference(output);
        ref float g = ref MemoryMarshal.GetReference(outputGradient);
        ref float d = ref MemoryMarshal.GetReference(inputGradient);
        var one = T.Create(1f);
        var minusOne = T.Create(-1f);
        nuint n = (uint)output.Length, i = 0;
        for (; i + (nuint)T.Count <= n; i += (nuint)T.Count)
        {
            var v = T.Load(ref y, i);
            T.Store(T.Multiply(T.Multiply(T.Load(ref g, i), v), T.MultiplyAdd(minusOne, v, one)), ref d, i);
        }

        for (; i < n; i++)
        {
            float v = System.Runtime.CompilerServices.Unsafe.Add(ref y, i);
            System.Runtime.CompilerServices.Unsafe.Add(ref d, i) = System.Runtime.CompilerServices.Unsafe.Add(ref g, i) * v * (1f - v);
        }
    }

    private static void SiluBackward<T>(ReadOnlySpan<float> input, ReadOnlySpan<float> sigmoid, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
        where T : struct, ISimd<T>
    {
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float s = ref MemoryMarshal.GetReference(sigmoid);
        ref float g = ref MemoryMarshal.GetReference(outputGradient);
        ref float d = ref MemoryMarshal.GetReference(inputGradient);
        var one = T.Create(1f);
        var minusOne = T.Create(-1f);
        nuint n = (uint)input.Length, i = 0;
        for (; i + (nuint)T.Count <= n; i += (nuint)T.Count)
        {
            var sv = T.Load(ref s, i);
            var factor = T.MultiplyAdd(T.Load(ref x, i), T.MultiplyAdd(minusOne, sv, one), one);
            T.Store(T.Multiply(T.Multiply(T.Load(ref g, i), sv), factor), ref d, i);
        }

        for (; i < n; i++)
        {
            float sv = System.Runtime.CompilerServices.Unsafe.Add(ref s, i);
            System.Runtime.CompilerServices.Unsafe.Add(ref d, i) = System.Runtime.CompilerServices.Unsafe.Add(ref g, i) * sv * (1f + (System.Runtime.CompilerServices.Unsafe.Add(ref x, i) * (1f - sv)));
        }
    }
}
