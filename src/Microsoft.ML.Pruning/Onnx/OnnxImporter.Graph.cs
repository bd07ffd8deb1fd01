using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>The graph bookkeeping of <see cref="OnnxImporter"/>: which nodes to convert, and the values bound to tensor names.</summary>
internal sealed partial class OnnxImporter
{
    /// <summary>Returns, in file order, the nodes that the output depends on, and counts the uses of every tensor.</summary>
    private List<NodeProto> SelectNodes(GraphProto graph, string outputName)
    {
        foreach (var node in graph.Node)
        {
            foreach (string output in node.Output)
            {
                if (output.Length == 0)
                {
                    continue;
                }

                if (_values.ContainsKey(output) || _initializers.ContainsKey(output) || !_producers.TryAdd(output, node))
                {
                    _current = node;
                    throw Fail($"tensor '{output}' is defined more than once.");
                }
            }
        }

        var needed = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<string>();
        pending.Push(outputName);
        while (pending.Count > 0)
        {
            if (_producers.TryGetValue(pending.Pop(), out var producer) && needed.Add(producer))
            {
                foreach (string input in producer.Input)
                {
                    pending.Push(input);
                }
            }
        }

        var selected = graph.Node.Where(needed.Contains).ToList();
        _uses[outputName] = 1;
        foreach (var node in selected)
        {
            foreach (string input in node.Input)
            {
                _uses[input] = _uses.GetValueOrDefault(input) + 1;
                if (!_readers.TryGetValue(input, out var readers))
                {
                    _readers[input] = readers = [];
                }

                readers.Add(node);
            }
        }

        return selected;
    }

    /// <summary>Returns the value bound to a tensor name, reading initializers and evaluating <c>Constant</c> nodes on first use.</summary>
    private OnnxValue Resolve(string name)
    {
        if (_values.TryGetValue(name, out var value))
        {
            return value;
        }

        if (_initializers.TryGetValue(name, out var initializer))
        {
            var constant = new ConstantValue(OnnxTensor.Read(initializer, reason => Fail(reason), _directory));
            _values[name] = constant;
            return constant;
        }

        if (_producers.TryGetValue(name, out var producer) && producer.OpType == "Constant" && string.IsNullOrEmpty(producer.Domain))
        {
            var outer = _current;
            _current = producer;
            ImportConstant(producer);
            _current = outer;
            return _values[name];
        }

        if (_producers.TryGetValue(name, out var later) && !_fused.Contains(later) && IsShapeComputation(later, 0))
        {
            // Shape arithmetic that the file places after its first use (PyTorch's channel shuffle): fold it now.
            var outer = _current;
            _current = later;
            Convert(later);
            _fused.Add(later);
            _current = outer;
            if (_values.TryGetValue(name, out var folded))
            {
                return folded;
            }
        }

        throw Fail(_producers.ContainsKey(name)
            ? $"input '{name}' is used before the node that computes it; the nodes are not in topological order."
            : $"input '{name}' is neither the graph input, an initializer, nor the output of a node (missing initializer?).");
    }

    /// <summary>
    /// Whether a node computes shape arithmetic only: Shape of an already computed value, or an integer operation whose
    /// inputs are constants or again shape arithmetic (looked at up to a fixed depth).
    /// </summary>
    private bool IsShapeComputation(NodeProto node, int depth)
    {
        if (depth > 16 || !string.IsNullOrEmpty(node.Domain))
        {
            return false;
        }

        if (node.OpType == "Shape")
        {
            return node.Input.Count == 1 && _values.ContainsKey(node.Input[0]);
        }

        if (node.OpType is not ("Gather" or "Unsqueeze" or "Squeeze" or "Cast" or "Concat" or "Add" or "Sub" or "Mul" or "Div" or "Slice" or "Constant" or "Identity"))
        {
            return false;
        }

        foreach (string input in node.Input)
        {
            bool known = input.Length == 0 || _initializers.ContainsKey(input)
                || (_values.TryGetValue(input, out var value) ? value is not NodeOutputValue
                    : _producers.TryGetValue(input, out var producer) && IsShapeComputation(producer, depth + 1));
            if (!known)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns input <paramref name="index"/> as a computed value.</summary>
    private NodeOutputValue Data(NodeProto node, int index, string role)
    {
        string name = InputName(node, index, role);
        return Resolve(name) as NodeOutputValue
            ?? throw Fail($"{role} ('{name}') is a constant; it must be computed from the graph input.");
    }

    /// <summary>Returns input <paramref name="index"/> as a constant.</summary>
    private OnnxTensor Constant(NodeProto node, int index, string role)
    {
        string name = InputName(node, index, role);
        return (Resolve(name) as ConstantValue)?.FloatTensor
            ?? throw Fail($"{role} ('{name}') must be an initializer or a Constant; a value computed from the input is not supported.");
    }

    /// <summary>Returns input <paramref name="index"/> as a constant, or <see langword="null"/> when the optional input is absent.</summary>
    private OnnxTensor? OptionalConstant(NodeProto node, int index, string role) =>
        index < node.Input.Count && node.Input[index].Length > 0 ? Constant(node, index, role) : null;

    private string InputName(NodeProto node, int index, string role) =>
        index < node.Input.Count && node.Input[index].Length > 0
            ? node.Input[index]
            : throw Fail($"{role} (input {index}) is missing.");

    /// <summary>Appends a layer, after checking that its per-sample output stays within <see cref="MaxActivationElements"/>, and binds the node's first output to it.</summary>
    private void AddLayer(NodeProto node, Layer layer, params int[] inputs)
    {
        var shapes = inputs.Select(i => i == NetworkNode.NetworkInput ? _network.InputShape : _network.Nodes[i].OutputShape).ToArray();
        CheckActivation(layer.GetOutputShape(shapes));
        int index = _network.Add(layer, inputs);
        Bind(node, new NodeOutputValue(index, _network.Nodes[index].OutputShape));
    }

    /// <summary>Fails when a per-sample activation of this shape would exceed <see cref="MaxActivationElements"/>.</summary>
    private void CheckActivation(ReadOnlySpan<int> shape)
    {
        long elements = 1;
        foreach (int d in shape)
        {
            elements *= d;
            if (elements > MaxActivationElements)
            {
                throw Fail($"the output [batch, {string.Join(", ", shape.ToArray())}] exceeds {MaxActivationElements} elements per sample, the limit on activations.");
            }
        }
    }

    /// <summary>Fails when a convolution's output or per-sample im2col matrix would exceed <see cref="MaxActivationElements"/>.</summary>
    private void CheckConvolution(Conv2d conv, int[] inputShape)
    {
        var output = conv.GetOutputShape([inputShape]);
        CheckActivation(output);
        long columns = (long)inputShape[0] * conv.Kernel.Height * conv.Kernel.Width * output[1] * output[2];
        if (columns > MaxActivationElements)
        {
            throw Fail($"the convolution's im2col matrix ({inputShape[0]}x{conv.Kernel.Height}x{conv.Kernel.Width} by {output[1]}x{output[2]}) exceeds {MaxActivationElements} elements per sample, the limit on activations.");
        }
    }

    /// <summary>Binds the node's first output to a value; fails when a later output is used.</summary>
    private void Bind(NodeProto node, OnnxValue value)
    {
        if (node.Output.Count == 0 || node.Output[0].Length == 0)
        {
            throw Fail("the node has no output.");
        }

        for (int i = 1; i < node.Output.Count; i++)
        {
            if (_uses.ContainsKey(node.Output[i]))
            {
                throw Fail($"output {i} ('{node.Output[i]}') is used, but only the first output of {node.OpType} is supported.");
            }
        }

        _values[node.Output[0]] = value;
    }

    /// <summary>Gets the number of node inputs (and the graph output) that read a tensor.</summary>
    private int UsesOf(string name) => _uses.GetValueOrDefault(name);

    /// <summary>Gets the only node that reads a tensor, or <see langword="null"/> when it has other uses or is the graph output.</summary>
    private NodeProto? OnlyReader(string name) =>
        UsesOf(name) == 1 && _readers.TryGetValue(name, out var readers) && readers.Count == 1 ? readers[0] : null;

    /// <summary>Returns the name for a layer made from the node: its name, or else its first output's.</summary>
    private static string LayerName(NodeProto node) =>
        node.Name.Length > 0 ? node.Name : node.Output.Count > 0 && node.Output[0].Length > 0 ? node.Output[0] : node.OpType;

    private OnnxImportException Fail(string reason, Exception? inner = null) =>
        _current is null
            ? new OnnxImportException(_source, null, null, reason, inner)
            : new OnnxImportException(_source, LayerName(_current), _current.OpType, _opset, reason, inner);
}
