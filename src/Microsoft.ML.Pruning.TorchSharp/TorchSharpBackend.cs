using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp;

/// <summary>
/// Trains on libtorch through TorchSharp, on the CPU or a CUDA GPU. Set it as <see cref="TrainerOptions.Backend"/>: each
/// fit converts the network to TorchSharp modules with the same weights, trains with the same loss, optimizer,
/// learning-rate schedule, batches (the managed trainer's seeded shuffle) and best-checkpoint rule, keeps element-wise
/// masks at zero, reports progress, honours cancellation, and copies the weights and BatchNorm statistics back.
/// </summary>
/// <remarks>
/// The library references the <c>TorchSharp</c> package only; the application chooses the native bundle:
/// <c>TorchSharp-cpu</c>, <c>TorchSharp-cuda-windows</c> or <c>TorchSharp-cuda-linux</c>. Dropout masks come from a
/// libtorch generator seeded with <see cref="TrainerOptions.Seed"/>, so they differ from the managed engine's.
/// Optimizer state (momentum, Adam moments) starts afresh at each fit.
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

    /// <inheritdoc/>
    public TrainingResult Fit(Network network, Dataset training, Dataset? validation, TrainerOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        using var run = new TorchTrainingRun(network, training, options, Device);
        return run.Fit(validation, progress, cancellationToken);
    }
}
