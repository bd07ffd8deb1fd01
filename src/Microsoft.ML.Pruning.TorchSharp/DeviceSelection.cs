using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp;

/// <summary>Chooses the libtorch device as ML.NET's TorchSharp components do: CUDA when asked for and present, else the CPU if allowed.</summary>
internal static class DeviceSelection
{
    /// <summary>Resolves the device.</summary>
    /// <param name="gpuDeviceId">The CUDA device asked for, or <see langword="null"/> for the CPU.</param>
    /// <param name="fallbackToCpu">Whether an unavailable CUDA device falls back to the CPU.</param>
    /// <param name="cudaDeviceCount">The number of CUDA devices libtorch sees (0 without a CUDA build or driver).</param>
    /// <returns>The device.</returns>
    /// <exception cref="InvalidOperationException">CUDA was asked for, is not available, and falling back is not allowed.</exception>
    public static Device Resolve(int? gpuDeviceId, bool fallbackToCpu, int cudaDeviceCount)
    {
        if (gpuDeviceId is not { } id)
        {
            return CPU;
        }

        if (id < cudaDeviceCount)
        {
            return new Device(DeviceType.CUDA, id);
        }

        if (fallbackToCpu)
        {
            return CPU;
        }

        string package = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "TorchSharp-cuda-windows" : "TorchSharp-cuda-linux";
        string found = cudaDeviceCount == 0 ? "TorchSharp finds no CUDA device" : $"TorchSharp finds only {cudaDeviceCount} CUDA device(s)";
        throw new InvalidOperationException(
            $"GpuDeviceId asks for CUDA device {id}, but {found}. Reference the {package} package in the application " +
            "(TorchSharp-cuda-windows on Windows, TorchSharp-cuda-linux on Linux) instead of TorchSharp-cpu, with an NVIDIA driver installed, " +
            "or set FallbackToCpu (MLContext.FallbackToCpu) to train on the CPU.");
    }

    /// <summary>Gets the number of CUDA devices libtorch sees.</summary>
    /// <returns>The count; 0 when the loaded libtorch has no CUDA support.</returns>
    public static int CudaDeviceCount() => cuda.is_available() ? cuda.device_count() : 0;
}
