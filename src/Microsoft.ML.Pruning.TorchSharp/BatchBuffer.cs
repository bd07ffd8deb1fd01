using TorchSharp;
using static TorchSharp.torch;
using ManagedTensor = Microsoft.ML.Pruning.Tensors.FloatTensor;

namespace Microsoft.ML.Pruning.TorchSharp;

/// <summary>
/// Hands a managed batch to libtorch without copying it on the CPU: the libtorch tensors alias the managed feature
/// array and a label array of int64 (<c>torch.from_array</c> pins them), and are made again only when the managed
/// tensor's backing array changes. On a GPU the batch is copied to the device.
/// </summary>
internal sealed class BatchBuffer : IDisposable
{
    private readonly Device _device;
    private float[]? _aliasedFeatures;
    private Tensor? _features;
    private long[] _hostLabels = [];
    private Tensor? _labels;

    public BatchBuffer(Device device) => _device = device;

    /// <summary>Returns the batch as libtorch tensors on the device.</summary>
    /// <param name="features">The managed batch [n, ...sample shape].</param>
    /// <param name="labels">The n labels.</param>
    /// <returns>Features [n, ...sample shape] and int64 labels [n], valid until the next call; views belong to the current dispose scope.</returns>
    public (Tensor Features, Tensor Labels) Load(ManagedTensor features, ReadOnlySpan<int> labels)
    {
        if (!ReferenceEquals(_aliasedFeatures, features.Data))
        {
            _features?.Dispose();
            _features = torch.from_array(features.Data).DetachFromDisposeScope();
            _aliasedFeatures = features.Data;
        }

        if (_hostLabels.Length < labels.Length)
        {
            _labels?.Dispose();
            _hostLabels = new long[labels.Length];
            _labels = torch.from_array(_hostLabels).DetachFromDisposeScope();
        }

        for (int i = 0; i < labels.Length; i++)
        {
            _hostLabels[i] = labels[i];
        }

        var x = _features!.narrow(0, 0, features.Length).view(features.Shape.Select(d => (long)d).ToArray());
        var y = _labels!.narrow(0, 0, labels.Length);
        return _device.type == DeviceType.CPU ? (x, y) : (x.to(_device), y.to(_device));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _features?.Dispose();
        _labels?.Dispose();
    }
}
