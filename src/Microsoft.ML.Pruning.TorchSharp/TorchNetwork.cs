using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.TorchSharp.Layers;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp;

/// <summary>
/// The TorchSharp twin of a managed <see cref="Network"/>: one module per node, wired as the network's graph (residual
/// <see cref="Networks.Add"/> nodes included), holding libtorch copies of every parameter and buffer. It owns those
/// tensors and disposes them; <see cref="CopyTo"/> writes them back into the managed network.
/// </summary>
internal sealed class TorchNetwork : IDisposable
{
    private readonly Network _network;
    private readonly TorchLayer[] _layers;
    private readonly Generator _generator;

    /// <summary>Converts <paramref name="network"/>, copying its weights and statistics to <paramref name="device"/>.</summary>
    /// <param name="network">The managed network (left unchanged).</param>
    /// <param name="device">The device.</param>
    /// <param name="seed">The seed of the dropout masks.</param>
    /// <exception cref="NotSupportedException">A layer kind has no conversion; the message names the layer.</exception>
    public TorchNetwork(Network network, Device device, int seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        Device = device;
        _generator = new Generator((ulong)seed, device);
        var layers = new List<TorchLayer>(network.Nodes.Count);
        try
        {
            foreach (var node in network.Nodes)
            {
                layers.Add(TorchLayerFactory.Create(node.Layer, device, _generator));
            }
        }
        catch
        {
            layers.ForEach(l => l.Dispose());
            _generator.Dispose();
            throw;
        }

        _layers = [.. layers];
        Parameters = _layers.SelectMany(l => l.Parameters).ToArray();
    }

    /// <summary>Gets the device the tensors live on.</summary>
    public Device Device { get; }

    /// <summary>Gets every trainable parameter paired with its managed original, in the managed network's order.</summary>
    public IReadOnlyList<(Networks.Parameter Managed, Tensor Torch)> Parameters { get; }

    /// <summary>Runs the network on a batch [batch, ...input shape].</summary>
    /// <param name="input">The input on <see cref="Device"/>.</param>
    /// <param name="training">Whether the pass is for training.</param>
    /// <returns>The output; intermediate tensors belong to the caller's dispose scope.</returns>
    public Tensor Forward(Tensor input, bool training)
    {
        var outputs = new Tensor[_layers.Length];
        for (int i = 0; i < _layers.Length; i++)
        {
            var node = _network.Nodes[i];
            var inputs = new Tensor[node.Inputs.Count];
            for (int j = 0; j < inputs.Length; j++)
            {
                int source = node.Inputs[j];
                inputs[j] = source == NetworkNode.NetworkInput ? input : outputs[source];
            }

            outputs[i] = _layers[i].Forward(inputs, training);
        }

        return outputs.Length == 0 ? input : outputs[^1];
    }

    /// <summary>Writes the libtorch parameters and buffers back into the managed network's tensors.</summary>
    public void CopyTo()
    {
        foreach (var layer in _layers)
        {
            foreach (var (managed, torch) in layer.Parameters.Concat(layer.Buffers))
            {
                TensorCopy.CopyTo(torch, managed.Value);
            }
        }
    }

    /// <summary>Multiplies every masked parameter by its mask (after an optimizer step), keeping masked weights at zero.</summary>
    /// <param name="masks">The device copies of the masks, by parameter index; <see langword="null"/> entries have none.</param>
    public void ApplyMasks(IReadOnlyList<Tensor?> masks)
    {
        using var noGrad = no_grad();
        for (int i = 0; i < masks.Count; i++)
        {
            if (masks[i] is { } mask)
            {
                Parameters[i].Torch.mul_(mask);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var layer in _layers)
        {
            layer.Dispose();
        }

        _generator.Dispose();
    }
}
