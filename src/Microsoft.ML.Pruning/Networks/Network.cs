using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>
/// A directed acyclic graph of layers in topological order with one input and one output (the last node).
/// Sequential networks chain each node to the previous one; residual networks add <see cref="Add"/> nodes fed by two nodes.
/// </summary>
public sealed partial class Network
{
    private readonly List<NetworkNode> _nodes = [];
    private readonly List<List<int>> _consumers = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<Layer> _layers = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, int> _nextSuffix = new(StringComparer.Ordinal);
    private FloatTensor?[] _outputs = [];
    private FloatTensor?[] _gradients = [];
    private FloatTensor?[] _gradientSums = [];
    private bool[] _ownsGradient = [];

    /// <summary>Creates an empty network.</summary>
    /// <param name="inputShape">The per-sample input shape, such as [784] or [1, 28, 28].</param>
    public Network(params int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape.Any(d => d < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(inputShape), FloatTensor.FormatShape(inputShape), "The input shape needs at least one dimension, each at least 1.");
        }

        InputShape = (int[])inputShape.Clone();
    }

    /// <summary>Gets the per-sample input shape.</summary>
    public int[] InputShape { get; }

    /// <summary>Gets the per-sample output shape (the input shape while the network is empty).</summary>
    public int[] OutputShape => _nodes.Count == 0 ? InputShape : _nodes[^1].OutputShape;

    /// <summary>
    /// Gets whether the network's output is a probability distribution: its last layer is a <see cref="Softmax"/> fed by
    /// another layer, as in many imported classifiers. Training, evaluation and the gradient-based criteria then compute
    /// softmax cross-entropy on that layer's input (the logits), so the softmax is not applied twice; the Softmax stays
    /// in the network and in the exported model. Whoever turns the output into class probabilities must not apply a
    /// softmax again when this is <see langword="true"/>.
    /// </summary>
    public bool OutputIsProbability => _nodes.Count > 0 && _nodes[^1] is { Layer: Softmax, Inputs: [>= 0] };

    /// <summary>Gets the index of the node whose output holds the logits: the input of a final Softmax, else the last node.</summary>
    internal int LogitsNode => OutputIsProbability ? _nodes[^1].Inputs[0] : _nodes.Count - 1;

    /// <summary>Gets the nodes in topological order.</summary>
    public IReadOnlyList<NetworkNode> Nodes => _nodes;

    /// <summary>Gets every trainable parameter, in node order.</summary>
    public IEnumerable<Parameter> Parameters => _nodes.SelectMany(n => n.Layer.Parameters);

    /// <summary>Gets every parameter and buffer (the state that is saved), in node order.</summary>
    public IEnumerable<Parameter> State => _nodes.SelectMany(n => n.Layer.Parameters.Concat(n.Layer.Buffers));

    /// <summary>Gets the number of trainable values.</summary>
    public long ParameterCount => Parameters.Sum(p => (long)p.Length);

    /// <summary>Gets the number of multiply-adds of one sample's forward pass.</summary>
    public long MultiplyAdds => _nodes.Sum(n => n.Layer.CountMultiplyAdds(InputShapes(n)));

    /// <summary>Appends a layer fed by the given nodes (by default the previous node, or the network's input for the first).</summary>
    /// <param name="layer">The layer; it must not belong to another network.</param>
    /// <param name="inputs">The indices of the feeding nodes, <see cref="NetworkNode.NetworkInput"/> for the network's input.</param>
    /// <returns>The new node's index.</returns>
    /// <exception cref="ArgumentException">The inputs do not exist or their shapes do not fit the layer.</exception>
    public int Add(Layer layer, params int[] inputs)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (inputs.Length == 0)
        {
            inputs = [_nodes.Count - 1];
        }

        if (inputs.Length != layer.InputCount)
        {
            throw new ArgumentException($"Layer '{layer.Name}' takes {layer.InputCount} input(s), {inputs.Length} given.", nameof(inputs));
        }

        foreach (int input in inputs)
        {
            if (input < NetworkNode.NetworkInput || input >= _nodes.Count)
            {
                throw new ArgumentException($"Layer '{layer.Name}': input node {input} does not exist (the network has {_nodes.Count} nodes).", nameof(inputs));
            }
        }

        if (_layers.Contains(layer))
        {
            throw new ArgumentException($"Layer '{layer.Name}' is already in this network.", nameof(layer));
        }

        var shape = layer.GetOutputShape(inputs.Select(ShapeOf).ToArray());
        layer.Name = UniqueName(layer.Name);
        _names.Add(layer.Name);
        _layers.Add(layer);
        layer.ComputeInputGradient = inputs.Any(i => i != NetworkNode.NetworkInput);
        var node = new NetworkNode(_nodes.Count, layer, (int[])inputs.Clone(), shape);
        _nodes.Add(node);
        _consumers.Add([]);
        foreach (int input in inputs.Distinct())
        {
            if (input != NetworkNode.NetworkInput)
            {
                _consumers[input].Add(node.Index);
            }
        }

        return node.Index;
    }

    /// <summary>Gets the indices of the nodes that take node <paramref name="index"/>'s output as an input.</summary>
    /// <param name="index">The node index.</param>
    /// <returns>The consumers in topological order.</returns>
    public IReadOnlyList<int> ConsumersOf(int index) => _consumers[index];

    /// <summary>Finds a node by its layer's name.</summary>
    /// <param name="name">The layer name.</param>
    /// <returns>The node.</returns>
    /// <exception cref="KeyNotFoundException">No layer has that name.</exception>
    public NetworkNode this[string name] =>
        _nodes.FirstOrDefault(n => n.Layer.Name == name) ?? throw new KeyNotFoundException($"The network has no layer named '{name}'.");

    /// <summary>Gets the per-sample shapes of a node's inputs.</summary>
    /// <param name="node">The node.</param>
    /// <returns>One shape per input.</returns>
    public int[][] InputShapes(NetworkNode node) => node.Inputs.Select(ShapeOf).ToArray();

    /// <summary>
    /// Recomputes every node's output shape in topological order, after structural pruning changed layers' sizes.
    /// </summary>
    /// <exception cref="ArgumentException">The layers no longer fit together; the message names the first layer that does not.</exception>
    internal void RefreshShapes()
    {
        foreach (var node in _nodes)
        {
            node.OutputShape = node.Layer.GetOutputShape(InputShapes(node));
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Network {FloatTensor.FormatShape(InputShape)} -> {FloatTensor.FormatShape(OutputShape)}, {_nodes.Count} layers, {ParameterCount:N0} parameters";

    private int[] ShapeOf(int index) => index == NetworkNode.NetworkInput ? InputShape : _nodes[index].OutputShape;

    private string UniqueName(string name)
    {
        if (!_names.Contains(name))
        {
            return name;
        }

        // Continue from the last suffix given to this name: a long run of equal names stays linear.
        int suffix = _nextSuffix.GetValueOrDefault(name, 2);
        while (_names.Contains($"{name}_{suffix}"))
        {
            suffix++;
        }

        _nextSuffix[name] = suffix + 1;
        return $"{name}_{suffix}";
    }
}
