namespace Microsoft.ML.Pruning.TorchSharp;

/// <summary>How the TorchSharp backend computes convolutions on the CPU (<see cref="TorchSharpBackendOptions.CpuConvolution"/>).</summary>
public enum CpuConvolution
{
    /// <summary>
    /// libtorch's <c>conv2d</c>, unless a check run once per process when the first CPU backend is created finds its
    /// float32 input gradient wrong on this machine (it compares it with float64 over 16 convolution shapes); the
    /// unfold path is then used for passes that need the input gradient.
    /// </summary>
    Automatic,

    /// <summary>libtorch's <c>conv2d</c> always: the fastest, without the start-up check.</summary>
    LibTorch,

    /// <summary>im2col (<c>unfold</c>) and a matrix product whenever the input gradient is needed: slower, and independent of libtorch's convolution kernels.</summary>
    Unfold,
}
