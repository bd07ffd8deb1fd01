namespace Microsoft.ML.Pruning.Benchmarks;

/// <summary>Element-wise candidates timed side by side (filled in as the kernels are written).</summary>
internal static class ElementwiseKernels
{
    public static void Run(int iterations)
    {
    }
}
