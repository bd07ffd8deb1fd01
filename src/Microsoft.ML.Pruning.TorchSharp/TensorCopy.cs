using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;
using ManagedTensor = Microsoft.ML.Pruning.Tensors.FloatTensor;

namespace Microsoft.ML.Pruning.TorchSharp;

/// <summary>Copies values between the managed engine's tensors and libtorch tensors.</summary>
internal static class TensorCopy
{
    /// <summary>Creates a libtorch tensor on <paramref name="device"/> with the values and shape of a managed tensor.</summary>
    /// <param name="source">The managed tensor.</param>
    /// <param name="device">The device.</param>
    /// <returns>A new tensor owned by the caller (in the current dispose scope, if any).</returns>
    public static Tensor ToTorch(ManagedTensor source, Device device)
    {
        var shape = source.Shape.Select(d => (long)d).ToArray();
        var host = zeros(shape, ScalarType.Float32);
        host.bytes = MemoryMarshal.AsBytes(source.Span);
        if (device.type == DeviceType.CPU)
        {
            return host;
        }

        using (host)
        {
            return host.to(device);
        }
    }

    /// <summary>Copies a libtorch tensor's values into a managed tensor of the same element count.</summary>
    /// <param name="source">The libtorch tensor (any device).</param>
    /// <param name="target">The managed tensor to overwrite.</param>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    public static void CopyTo(Tensor source, ManagedTensor target)
    {
        if (source.numel() != target.Length)
        {
            throw new ArgumentException($"A libtorch tensor of {source.numel()} elements cannot be copied into a managed tensor {ManagedTensor.FormatShape(target.Shape)}.", nameof(target));
        }

        using var host = source.detach().cpu().contiguous();
        MemoryMarshal.Cast<byte, float>(host.bytes).CopyTo(target.Span);
    }
}
