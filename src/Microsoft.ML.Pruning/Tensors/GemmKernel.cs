namespace Microsoft.ML.Pruning.Tensors;

/// <summary>The micro-kernels that <see cref="Gemm"/> can run on.</summary>
internal enum GemmKernel
{
    /// <summary>Portable <see cref="System.Runtime.Intrinsics.Vector128{T}"/> code, 6×8 tiles, scalar packing; for processors without AVX2 and FMA.</summary>
    Portable,

    /// <summary>AVX2 with FMA, 6×16 tiles in twelve ymm accumulators.</summary>
    Avx2,

    /// <summary>AVX-512 through <see cref="System.Runtime.Intrinsics.Vector512{T}"/>, 6×32 tiles in twelve zmm accumulators.</summary>
    Vector512,
}
