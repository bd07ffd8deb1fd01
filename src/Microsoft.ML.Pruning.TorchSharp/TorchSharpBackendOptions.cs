namespace Microsoft.ML.Pruning.TorchSharp;

/// <summary>
/// Options of a <see cref="TorchSharpBackend"/>: which device trains, with ML.NET's convention
/// (<see cref="MLContext.GpuDeviceId"/>, <see cref="MLContext.FallbackToCpu"/>). Copied when the backend is created.
/// </summary>
public sealed class TorchSharpBackendOptions
{
    /// <summary>Gets or sets the CUDA device to train on, or <see langword="null"/> for the CPU.</summary>
    /// <value>The default is <see langword="null"/>: the CPU. At least 0 when set.</value>
    public int? GpuDeviceId { get; set; }

    /// <summary>Gets or sets whether training falls back to the CPU when the CUDA device asked for is not available.</summary>
    /// <value>The default is <see langword="false"/>: asking for an unavailable CUDA device fails, naming the package to add.</value>
    public bool FallbackToCpu { get; set; }

    /// <summary>Gets or sets how convolutions are computed on the CPU (CUDA always uses libtorch's <c>conv2d</c>).</summary>
    /// <value>The default is <see cref="TorchSharp.CpuConvolution.Automatic"/>: libtorch's <c>conv2d</c> unless a start-up check finds its input gradient wrong on this machine.</value>
    public CpuConvolution CpuConvolution { get; set; }

    internal TorchSharpBackendOptions Copy() => new() { GpuDeviceId = GpuDeviceId, FallbackToCpu = FallbackToCpu, CpuConvolution = CpuConvolution };

    internal void Validate()
    {
        if (GpuDeviceId is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(GpuDeviceId), GpuDeviceId, "TorchSharpBackendOptions.GpuDeviceId must be at least 0 when set.");
        }

        if (!Enum.IsDefined(CpuConvolution))
        {
            throw new ArgumentOutOfRangeException(nameof(CpuConvolution), CpuConvolution, "TorchSharpBackendOptions.CpuConvolution must be Automatic, LibTorch or Unfold.");
        }
    }
}
