using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp;

/// <summary>
/// Trains on libtorch through TorchSharp, on the CPU or a CUDA GPU. Set it as <see cref="TrainerOptions.Backend"/>: the
/// <see cref="Trainer"/> runs its one epoch loop (the seeded batches, learning-rate schedule, evaluation, best epoch,
/// patience, cancellation and progress) and this backend runs each batch: it converts the network to TorchSharp
/// modules with the same weights, trains with the same loss and optimizer, keeps element-wise masks at zero and frozen
/// layers fixed, and copies the weights and BatchNorm statistics back.
/// </summary>
/// <remarks>
/// The library references the <c>TorchSharp</c> package only; the application chooses the native bundle:
/// <c>TorchSharp-cpu</c>, <c>TorchSharp-cuda-windows</c> or <c>TorchSharp-cuda-linux</c>. Dropout masks come from a
/// libtorch generator seeded with <see cref="TrainerOptions.Seed"/>, so they differ from the managed engine's.
/// Optimizer state (momentum, Adam moments) starts afresh at each fit, as on the managed engine. On the CPU,
/// convolutions use libtorch's <c>conv2d</c> unless <see cref="TorchSharpBackendOptions.CpuConvolution"/> says otherwise
/// or its start-up check finds libtorch's input gradient wrong on this machine.
/// </remarks>
public sealed class TorchSharpBackend : ITrainingBackend
{
    /// <summary>Creates a backend on the device that <paramref name="options"/> names.</summary>
    /// <param name="options">The options; copied and validated. The default trains on the CPU.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; ParamName names it.</exception>
    /// <exception cref="InvalidOperationException">CUDA was asked for and is not available, and falling back is not allowed; the message names the package to add.</exception>
    public TorchSharpBackend(TorchSharpBackendOptions? options = null)
    {
        var copy = options?.Copy() ?? new TorchSharpBackendOptions();
        copy.Validate();
        Device = DeviceSelection.Resolve(copy.GpuDeviceId, copy.FallbackToCpu, DeviceSelection.CudaDeviceCount());
        UnfoldsConvolutions = Device.type == DeviceType.CPU && copy.CpuConvolution switch
        {
            CpuConvolution.Unfold => true,
            CpuConvolution.LibTorch => false,
            _ => !ConvolutionGradientCheck.NativeInputGradientIsRight,
        };
    }

    /// <summary>Creates a backend on the device that the context names (<see cref="MLContext.GpuDeviceId"/>, <see cref="MLContext.FallbackToCpu"/>).</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <exception cref="InvalidOperationException">CUDA was asked for and is not available, and falling back is not allowed; the message names the package to add.</exception>
    public TorchSharpBackend(MLContext context)
        : this(new TorchSharpBackendOptions
        {
            GpuDeviceId = (context ?? throw new ArgumentNullException(nameof(context))).GpuDeviceId,
            FallbackToCpu = context.FallbackToCpu,
        })
    {
    }

    /// <summary>Gets the libtorch device that trains ("cpu" or "cuda:N").</summary>
    public string DeviceName => Device.ToString();

    /// <inheritdoc/>
    public string Name => $"TorchSharp ({DeviceName})";

    internal Device Device { get; }

    /// <summary>Gets whether CPU convolutions compute their input gradient through unfold rather than libtorch's <c>conv2d</c>.</summary>
    internal bool UnfoldsConvolutions { get; }

    /// <inheritdoc/>
    public ITrainingSession Bind(Network network, TrainingSetup setup)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(setup);
        return new TorchTrainingSession(network, setup, Device, UnfoldsConvolutions);
    }
}
