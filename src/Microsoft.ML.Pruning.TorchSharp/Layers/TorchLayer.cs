using Microsoft.ML.Pruning.Networks;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp.Layers;

/// <summary>
/// The TorchSharp twin of one <see cref="Layer"/>: a forward function on libtorch tensors, and the libtorch copies of the
/// layer's parameters and buffers, paired with the managed ones they were copied from.
/// </summary>
internal abstract class TorchLayer : IDisposable
{
    private readonly List<(Networks.Parameter Managed, Tensor Torch)> _parameters = [];
    private readonly List<(Networks.Parameter Managed, Tensor Torch)> _buffers = [];

    protected TorchLayer(Layer layer) => Layer = layer;

    /// <summary>Gets the managed layer this twin was built from.</summary>
    public Layer Layer { get; }

    /// <summary>Gets the trainable parameters paired with their managed originals, in the layer's order.</summary>
    public IReadOnlyList<(Networks.Parameter Managed, Tensor Torch)> Parameters => _parameters;

    /// <summary>Gets the buffers (running statistics) paired with their managed originals.</summary>
    public IReadOnlyList<(Networks.Parameter Managed, Tensor Torch)> Buffers => _buffers;

    /// <summary>Runs the layer.</summary>
    /// <param name="inputs">One tensor per input, batch first.</param>
    /// <param name="training">Whether the pass is for training (batch statistics, dropout).</param>
    /// <returns>The output tensor (in the caller's dispose scope).</returns>
    public abstract Tensor Forward(IReadOnlyList<Tensor> inputs, bool training);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var (_, tensor) in _parameters.Concat(_buffers))
        {
            tensor.Dispose();
        }

        _parameters.Clear();
        _buffers.Clear();
    }

    /// <summary>Copies a managed parameter to the device as a trainable leaf tensor and records the pair.</summary>
    /// <param name="parameter">The managed parameter.</param>
    /// <param name="device">The device.</param>
    /// <returns>The libtorch parameter.</returns>
    protected Tensor AddParameter(Networks.Parameter parameter, Device device)
    {
        var tensor = new global::TorchSharp.Modules.Parameter(TensorCopy.ToTorch(parameter.Value, device), requires_grad: true);
        tensor.DetachFromDisposeScope();
        _parameters.Add((parameter, tensor));
        return tensor;
    }

    /// <summary>Copies a managed buffer to the device and records the pair.</summary>
    /// <param name="buffer">The managed buffer.</param>
    /// <param name="device">The device.</param>
    /// <returns>The libtorch buffer.</returns>
    protected Tensor AddBuffer(Networks.Parameter buffer, Device device)
    {
        var tensor = TensorCopy.ToTorch(buffer.Value, device);
        tensor.DetachFromDisposeScope();
        _buffers.Add((buffer, tensor));
        return tensor;
    }
}
