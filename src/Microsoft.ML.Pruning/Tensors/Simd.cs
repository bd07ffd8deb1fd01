using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Pruning.Tensors;

/// <summary>
/// One vector width as a generic argument, so that a kernel is written once and the JIT specializes it per width
/// (<see cref="Simd512"/>, <see cref="Simd256"/>, <see cref="Simd128"/>). Which one runs follows the active
/// <see cref="GemmKernel"/> (<see cref="RowKernels.Width"/>), so tests force each path through <see cref="Gemm.KernelOverride"/>.
/// </summary>
/// <typeparam name="TSelf">The implementing vector type.</typeparam>
internal interface ISimd<TSelf>
    where TSelf : struct, ISimd<TSelf>
{
    /// <summary>Gets the lanes.</summary>
    static abstract int Count { get; }

    /// <summary>Gets the all-zero vector.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>Broadcasts a value.</summary>
    static abstract TSelf Create(float value);

    /// <summary>Loads <see cref="Count"/> values from <paramref name="source"/> + <paramref name="offset"/>.</summary>
    static abstract TSelf Load(ref float source, nuint offset);

    /// <summary>Stores the lanes at <paramref name="target"/> + <paramref name="offset"/>.</summary>
    static abstract void Store(TSelf value, ref float target, nuint offset);

    /// <summary>Returns a · b + c, fused where the processor can (always, on the AVX2 and AVX-512 paths).</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>Returns a + b.</summary>
    static abstract TSelf Add(TSelf a, TSelf b);

    /// <summary>Returns a · b.</summary>
    static abstract TSelf Multiply(TSelf a, TSelf b);

    /// <summary>Returns the lane-wise minimum (the second operand where either is NaN, as the x86 instruction).</summary>
    static abstract TSelf Min(TSelf a, TSelf b);

    /// <summary>Returns the lane-wise maximum.</summary>
    static abstract TSelf Max(TSelf a, TSelf b);

    /// <summary>Returns <paramref name="value"/> where <paramref name="low"/> &lt; x &lt; <paramref name="high"/>, else zero.</summary>
    static abstract TSelf WhereInside(TSelf x, TSelf low, TSelf high, TSelf value);

    /// <summary>Returns <paramref name="value"/> where x &gt;= <paramref name="low"/>, else zero.</summary>
    static abstract TSelf WhereAtLeast(TSelf x, TSelf low, TSelf value);

    /// <summary>Returns the sum of the lanes, in a fixed order.</summary>
    static abstract float Sum(TSelf value);

    /// <summary>Returns an all-ones mask in the lanes where <paramref name="x"/> beats <paramref name="best"/>: greater, or NaN.</summary>
    static abstract TSelf Beats(TSelf x, TSelf best);

    /// <summary>Returns <paramref name="a"/> in the lanes where <paramref name="mask"/> is set, else <paramref name="b"/>.</summary>
    static abstract TSelf Select(TSelf mask, TSelf a, TSelf b);
}

/// <summary>Vector512 lanes (AVX-512, or software where it is not accelerated).</summary>
internal readonly struct Simd512 : ISimd<Simd512>
{
    private readonly Vector512<float> _value;

    private Simd512(Vector512<float> value) => _value = value;

    public static int Count => Vector512<float>.Count;

    public static Simd512 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Create(float value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Load(ref float source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd512 value, ref float target, nuint offset) => value._value.StoreUnsafe(ref target, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 MultiplyAdd(Simd512 a, Simd512 b, Simd512 c) => new(Vector512.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Add(Simd512 a, Simd512 b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Multiply(Simd512 a, Simd512 b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Min(Simd512 a, Simd512 b) => new(Vector512.MinNative(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Max(Simd512 a, Simd512 b) => new(Vector512.MaxNative(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 WhereInside(Simd512 x, Simd512 low, Simd512 high, Simd512 value) =>
        new(value._value & Vector512.GreaterThan(x._value, low._value) & Vector512.LessThan(x._value, high._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 WhereAtLeast(Simd512 x, Simd512 low, Simd512 value) => new(value._value & Vector512.GreaterThanOrEqual(x._value, low._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Simd512 value) => Vector512.Sum(value._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Beats(Simd512 x, Simd512 best) =>
        new(Vector512.GreaterThan(x._value, best._value) | ~Vector512.Equals(x._value, x._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Select(Simd512 mask, Simd512 a, Simd512 b) => new(Vector512.ConditionalSelect(mask._value, a._value, b._value));
}

/// <summary>Vector256 lanes (AVX2 with FMA).</summary>
internal readonly struct Simd256 : ISimd<Simd256>
{
    private readonly Vector256<float> _value;

    private Simd256(Vector256<float> value) => _value = value;

    public static int Count => Vector256<float>.Count;

    public static Simd256 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Create(float value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Load(ref float source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd256 value, ref float target, nuint offset) => value._value.StoreUnsafe(ref target, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 MultiplyAdd(Simd256 a, Simd256 b, Simd256 c) => new(Vector256.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Add(Simd256 a, Simd256 b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Multiply(Simd256 a, Simd256 b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Min(Simd256 a, Simd256 b) => new(Vector256.MinNative(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Max(Simd256 a, Simd256 b) => new(Vector256.MaxNative(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 WhereInside(Simd256 x, Simd256 low, Simd256 high, Simd256 value) =>
        new(value._value & Vector256.GreaterThan(x._value, low._value) & Vector256.LessThan(x._value, high._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 WhereAtLeast(Simd256 x, Simd256 low, Simd256 value) => new(value._value & Vector256.GreaterThanOrEqual(x._value, low._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Simd256 value) => Vector256.Sum(value._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Beats(Simd256 x, Simd256 best) =>
        new(Vector256.GreaterThan(x._value, best._value) | ~Vector256.Equals(x._value, x._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Select(Simd256 mask, Simd256 a, Simd256 b) => new(Vector256.ConditionalSelect(mask._value, a._value, b._value));
}

/// <summary>Vector128 lanes: the portable path (SSE, NEON), which multiplies then adds where there is no FMA.</summary>
internal readonly struct Simd128 : ISimd<Simd128>
{
    private readonly Vector128<float> _value;

    private Simd128(Vector128<float> value) => _value = value;

    public static int Count => Vector128<float>.Count;

    public static Simd128 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Create(float value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Load(ref float source, nuint offset) => new(Vector128.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd128 value, ref float target, nuint offset) => value._value.StoreUnsafe(ref target, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 MultiplyAdd(Simd128 a, Simd128 b, Simd128 c) => new(Vector128.MultiplyAddEstimate(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Add(Simd128 a, Simd128 b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Multiply(Simd128 a, Simd128 b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Min(Simd128 a, Simd128 b) => new(Vector128.MinNative(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Max(Simd128 a, Simd128 b) => new(Vector128.MaxNative(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 WhereInside(Simd128 x, Simd128 low, Simd128 high, Simd128 value) =>
        new(value._value & Vector128.GreaterThan(x._value, low._value) & Vector128.LessThan(x._value, high._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 WhereAtLeast(Simd128 x, Simd128 low, Simd128 value) => new(value._value & Vector128.GreaterThanOrEqual(x._value, low._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Simd128 value) => Vector128.Sum(value._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Beats(Simd128 x, Simd128 best) =>
        new(Vector128.GreaterThan(x._value, best._value) | ~Vector128.Equals(x._value, x._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Select(Simd128 mask, Simd128 a, Simd128 b) => new(Vector128.ConditionalSelect(mask._value, a._value, b._value));
}
