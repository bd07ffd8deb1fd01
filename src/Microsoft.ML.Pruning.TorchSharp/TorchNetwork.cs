using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.TorchSharp.Layers;
using static TorchSharp.torch;

namespace Microsoft.ML.Pruning.TorchSharp;

/// <summary>
/// The TorchSharp twin of a managed <see cref="Network"/>: one module per node, wired as the network's graph (residual
/// <see cref="Networks.Add"/> nodes included), holding libtorch copies of every parameter and buffer. It owns those
/// tensors and disposes them; <see cref="CopyTo"/> writes them back into the managed network. Frozen layers run as at
/// inference and their parameters take no gradient.
/// </summary>
internal sealed class TorchNetwork : IDisposable
{
    private readonly Network _network;
    private readonly TorchLayer[] _layers;
    private readonly bool[] _frozen;
    private readonly Generator _generator;
    private readonly int _outputNode;
    private readonly Tensor[] _outputs;

    /// <summary>Converts <paramref name="network"/> whole, with nothing frozen and convolutions as the start-up check chooses.</summary>
    /// <param name="network">The managed network (left unchanged).</param>
    /// <param name="device">The device.</param>
    /// <param name="seed">The seed of the dropout masks.</param>
    public TorchNetwork(Network network, Device device, int seed)
        : this(network, device, seed, new HashSet<Layer>(), network.Nodes.Count - 1, device.type == global::TorchSharp.DeviceType.CPU && !ConvolutionGradientCheck.NativeInputGradientIsRight)
    {
    }

    /// <summary>Converts <paramref name="network"/>, copying its weights and statistics to <paramref name="device"/>.</summary>
    /// <param name="network">The managed network (left unchanged).</param>
    /// <param name="device">The device.</param>
    /// <param name="seed">The seed of the dropout masks.</param>
    /// <param name="frozen">The layers to keep fixed.</param>
    /// <param name="outputNode">The node whose output <see cref="Forward"/> returns; the nodes after it are not run.</param>
    /// <param name="unfoldConvolutions">Whether CPU convolutions compute their input gradient through unfold.</param>
    /// <exception cref="NotSupportedException">A layer kind has no conversion; the message names the layer.</exception>
    public TorchNetwork(Network network, Device device, int seed, IReadOnlySet<Layer> frozen, int outputNode, bool unfoldConvolutions)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        _outputNode = outputNode;
        Device = device;
        _generator = new Generator((ulong)seed, device);
        var layers = new List<TorchLayer>(network.Nodes.Count);
        try
        {
            foreach (var node in network.Nodes)
            {
                layers.Add(TorchLayerFactory.Create(node.Layer, device, _generator, unfoldConvolutions));
            }
        }
        catch
        {
            layers.ForEach(l => l.Dispose());
            _generator.Dispose();
            throw;
        }

        _layers = [.. layers];
        _frozen = _layers.Select(l => frozen.Contains(l.Layer)).ToArray();
        _outputs = new Tensor[_layers.Length];
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_frozen[i])
            {
                foreach (var (_, tensor) in _layers[i].Parameters)
                {
                    tensor.requires_grad_(false);
                }
            }
        }

        Parameters = _layers.Where((_, i) => !_frozen[i]).SelectMany(l => l.Parameters).ToArray();
        State = _layers.Where((_, i) => !_frozen[i]).SelectMany(l => l.Parameters.Concat(l.Buffers)).ToArray();
    }

    /// <summary>Gets the device the tensors live on.</summary>
    public Device Device { get; }

    /// <summary>Gets the trainable parameters (those of layers that are not frozen) paired with their managed originals, in the managed network's order.</summary>
    public IReadOnlyList<(Networks.Parameter Managed, Tensor Torch)> Parameters { get; }

    /// <summary>Gets the parameters and buffers that training can change (those of the layers that are not frozen), paired with their managed originals.</summary>
    public IReadOnlyList<(Networks.Parameter Managed, Tensor Torch)> State { get; }

    /// <summary>Runs the network up to its output node on a batch [batch, ...input shape].</summary>
    /// <param name="input">The input on <see cref="Device"/>.</param>
    /// <param name="training">Whether the pass is for training; frozen layers run as at inference either way.</param>
    /// <returns>The output node's output; intermediate tensors belong to the caller's dispose scope.</returns>
    public Tensor Forward(Tensor input, bool training)
    {
        if (_outputNode < 0)
        {
            return input;
        }

        for (int i = 0; i <= _outputNode; i++)
        {
            var node = _network.Nodes[i];
            var inputs = new Tensor[node.Inputs.Count];
            for (int j = 0; j < inputs.Length; j++)
            {
                int source = node.Inputs[j];
                inputs[j] = source == NetworkNode.NetworkInput ? input : _outputs[source];
            }

            _outputs[i] = _layers[i].Forward(inputs, training && !_frozen[i]);
        }

        var output = _outputs[_outputNode];
        Array.Clear(_outputs);
        return output;
    }

    /// <summary>Writes the libtorch parameters and buffers of the layers that are not frozen back into the managed network's tensors.</summary>
    public void CopyTo()
    {
        foreach (var (managed, torch) in State)
        {
            TensorCopy.CopyTo(torch, managed.Value);
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
