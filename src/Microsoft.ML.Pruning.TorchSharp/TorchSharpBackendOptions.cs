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

    internal TorchSharpBackendOptions Copy() => new() { GpuDeviceId = GpuDeviceId, FallbackToCpu = FallbackToCpu };

    internal void Validate()
    {
        if (GpuDeviceId is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(GpuDeviceId), GpuDeviceId, "TorchSharpBackendOptions.GpuDeviceId must be at least 0 when set.");
        }
    }
}
