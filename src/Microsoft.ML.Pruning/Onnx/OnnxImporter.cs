using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// Converts a parsed ONNX model into a <see cref="Network"/>: validates the versions, the single input and output, and
/// converts, in order, the nodes that the output depends on. Each operator's conversion lives in a partial file by kind.
/// </summary>
internal sealed partial class OnnxImporter
{
    /// <summary>The lowest supported IR version.</summary>
    public const int MinIrVersion = 3;

    /// <summary>The highest supported IR version.</summary>
    public const int MaxIrVersion = 10;

    /// <summary>
    /// The lowest supported version of the default operator set: opset 1, so that old exporters (CNTK and PyTorch at
    /// opsets 6 to 8, for example ML.NET's ResNet18) import, each operator in the version in force at the model's opset.
    /// </summary>
    public const int MinOpset = 1;

    /// <summary>The highest supported version of the default operator set.</summary>
    public const int MaxOpset = 21;

    /// <summary>
    /// The largest per-sample activation (and a convolution's per-sample im2col matrix) accepted, in float32 elements
    /// (2^26, 256 MiB): far above real CNNs at their native sizes, it keeps a tiny file that declares huge activations
    /// from exhausting memory at its first forward pass.
    /// </summary>
    public const long MaxActivationElements = 1L << 26;

    private readonly ModelProto _model;
    private readonly string? _source;
    private readonly Dictionary<string, OnnxValue> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _uses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> _readers = new(StringComparer.Ordinal);
    private readonly HashSet<NodeProto> _fused = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<NodeProto, (int Top, int Left, int Bottom, int Right)> _extraPadding = new(ReferenceEqualityComparer.Instance);
    private Network _network = null!;
    private NodeProto? _current;
    private int _opset;
    private int? _batchSize;

    private readonly string? _directory;

    private OnnxImporter(ModelProto model, string? source, string? directory)
    {
        _model = model;
        _source = source;
        _directory = directory;
    }

    /// <summary>Imports a parsed model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="source">The file path or stream name, for error messages.</param>
    /// <param name="directory">The model's folder, where its external data files lie; <see langword="null"/> for a stream.</param>
    /// <returns>The network.</returns>
    /// <exception cref="OnnxImportException">The model cannot be expressed as a network.</exception>
    public static Network Import(ModelProto model, string? source, string? directory = null) => new OnnxImporter(model, source, directory).Run();

    private Network Run()
    {
        _opset = CheckVersions();
        var graph = _model.Graph ?? throw Fail("the model has no graph.");
        foreach (var initializer in graph.Initializer)
        {
            if (string.IsNullOrEmpty(initializer.Name) || !_initializers.TryAdd(initializer.Name, initializer))
            {
                throw Fail($"initializer '{initializer.Name}' is unnamed or appears twice.");
            }
        }

        var (inputName, inputShape) = ReadInput(graph);
        string outputName = ReadOutputName(graph);
        _network = new Network(inputShape);
        _values[inputName] = new NodeOutputValue(NetworkNode.NetworkInput, inputShape);
        var nodes = SelectNodes(graph, outputName);
        foreach (var node in nodes)
        {
            _current = node;
            CheckOperatorVersion(node);
        }

        foreach (var node in nodes)
        {
            if (_fused.Contains(node))
            {
                continue;
            }

            _current = node;
            try
            {
                Convert(node);
            }
            catch (ArgumentException ex)
            {
                // A layer's constructor or Network.Add rejected the geometry; the message names the problem.
                throw Fail(ex.Message, ex);
            }
        }

        _current = null;
        CheckOutput(graph, outputName);
        CheckFinite(nodes);
        return _network;
    }

    /// <summary>
    /// Fails when a weight or statistic of the network is NaN or infinite (every score would be NaN), naming the node
    /// the layer came from: the same error type and source as every other import failure.
    /// </summary>
    private void CheckFinite(List<NodeProto> nodes)
    {
        var byLayerName = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            byLayerName.TryAdd(LayerName(node), node);
        }

        foreach (var networkNode in _network.Nodes)
        {
            var layer = networkNode.Layer;
            foreach (var tensor in layer.Parameters.Concat(layer.Buffers))
            {
                if (FiniteWeights.Describe(layer.Name, tensor.Name, tensor.Value.Span) is { } problem)
                {
                    _current = byLayerName.GetValueOrDefault(layer.Name);
                    throw Fail($"{problem}; a model with non-finite weights is not imported.");
                }
            }
        }
    }

    private void Convert(NodeProto node)
    {
        if (!string.IsNullOrEmpty(node.Domain) && node.Domain != "ai.onnx")
        {
            throw Fail($"operator domain '{node.Domain}' is not supported; only the default ONNX domain is.");
        }

        switch (node.OpType)
        {
            case "Gemm": ImportGemm(node); break;
            case "MatMul": ImportMatMul(node); break;
            case "Add": ImportBinary(node, Tensors.BinaryOperation.Add); break;
            case "Sub": ImportBinary(node, Tensors.BinaryOperation.Subtract); break;
            case "Mul": ImportBinary(node, Tensors.BinaryOperation.Multiply); break;
            case "Div": ImportBinary(node, Tensors.BinaryOperation.Divide); break;
            case "Conv": ImportConv(node); break;
            case "BatchNormalization": ImportBatchNormalization(node); break;
            case "MaxPool": ImportPool(node, max: true); break;
            case "AveragePool": ImportPool(node, max: false); break;
            case "GlobalAveragePool": ImportGlobalAveragePool(node); break;
            case "ReduceMean": ImportReduceMean(node); break;
            case "Relu": ImportActivation(node, name => new Relu(name)); break;
            case "Sigmoid": ImportSigmoid(node); break;
            case "Tanh": ImportActivation(node, name => new Tanh(name)); break;
            case "LeakyRelu": ImportLeakyRelu(node); break;
            case "Clip": ImportClip(node); break;
            case "HardSigmoid": ImportHardSigmoid(node); break;
            case "HardSwish": ImportActivation(node, name => new HardSwish(name)); break;
            case "Elu": ImportElu(node); break;
            case "Gelu": ImportGelu(node); break;
            case "Softmax": ImportSoftmax(node); break;
            case "Flatten": ImportFlatten(node); break;
            case "Reshape": ImportReshape(node); break;
            case "Pad": ImportPad(node); break;
            case "Concat": ImportConcat(node); break;
            case "Split": ImportSplit(node); break;
            case "Slice": ImportSlice(node); break;
            case "Transpose": ImportTranspose(node); break;
            case "Shape": ImportShape(node); break;
            case "Gather": ImportGather(node); break;
            case "Unsqueeze": ImportUnsqueeze(node, squeeze: false); break;
            case "Squeeze": ImportUnsqueeze(node, squeeze: true); break;
            case "Cast": ImportCast(node); break;
            case "ConstantOfShape": ImportConstantOfShape(node); break;
            case "Dropout": ImportDropout(node); break;
            case "Identity": ImportIdentity(node); break;
            case "Constant": ImportConstant(node); break;
            default:
                throw Fail($"operator '{node.OpType}' is not supported. Supported operators: {string.Join(", ", OnnxModel.SupportedOperators)}.");
        }
    }

    /// <summary>
    /// Fails when the node's operator did not exist at the model's opset, or when the node carries an attribute that the
    /// operator's version in force does not define (see <see cref="OnnxOperatorVersions"/>).
    /// </summary>
    private void CheckOperatorVersion(NodeProto node)
    {
        if ((!string.IsNullOrEmpty(node.Domain) && node.Domain != "ai.onnx") || !OnnxOperatorVersions.IsKnown(node.OpType))
        {
            return;
        }

        if (OnnxOperatorVersions.InForce(node.OpType, _opset) is not { } version)
        {
            throw Fail($"operator '{node.OpType}' does not exist at opset {_opset}, which the model declares; it was introduced in opset {OnnxOperatorVersions.Introduced(node.OpType)}.");
        }

        foreach (var attribute in node.Attribute)
        {
            if (!version.Attributes.Contains(attribute.Name))
            {
                string known = version.Attributes.Count == 0 ? "none" : string.Join(", ", version.Attributes);
                throw Fail($"attribute '{attribute.Name}' is not supported: at opset {_opset}, which the model declares, {node.OpType} is version {version.Since}, whose attributes are {known}.");
            }
        }
    }

    private int CheckVersions()
    {
        if (!_model.HasIrVersion || _model.IrVersion < MinIrVersion || _model.IrVersion > MaxIrVersion)
        {
            throw Fail($"IR version {(_model.HasIrVersion ? _model.IrVersion.ToString() : "(missing)")} is not supported; versions {MinIrVersion} to {MaxIrVersion} are.");
        }

        long opset = -1;
        foreach (var entry in _model.OpsetImport)
        {
            if (string.IsNullOrEmpty(entry.Domain) || entry.Domain == "ai.onnx")
            {
                opset = entry.Version;
            }
        }

        if (opset < MinOpset || opset > MaxOpset)
        {
            throw Fail($"default operator set version {(opset < 0 ? "(missing)" : opset.ToString())} is not supported; versions {MinOpset} to {MaxOpset} are.");
        }

        return (int)opset;
    }

    private (string Name, int[] Shape) ReadInput(GraphProto graph)
    {
        var inputs = graph.Input.Where(i => !_initializers.ContainsKey(i.Name)).ToList();
        if (inputs.Count != 1)
        {
            throw Fail($"the graph has {inputs.Count} inputs that are not initializers ({string.Join(", ", inputs.Select(i => $"'{i.Name}'"))}); a network takes exactly one.");
        }

        var input = inputs[0];
        var tensorType = input.Type?.TensorType ?? throw Fail($"graph input '{input.Name}' is not a tensor.");
        if (tensorType.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            throw Fail($"graph input '{input.Name}' has element type {OnnxTensor.TypeName(tensorType.ElemType)}; only FLOAT (float32) is supported.");
        }

        var dims = tensorType.Shape?.Dim ?? throw Fail($"graph input '{input.Name}' has no shape; a static shape (except for the batch) is needed.");
        if (dims.Count < 2)
        {
            throw Fail($"graph input '{input.Name}' has rank {dims.Count}; it needs a batch dimension and at least one more.");
        }

        if (dims[0].HasDimValue)
        {
            if (dims[0].DimValue < 1 || dims[0].DimValue > int.MaxValue)
            {
                throw Fail($"graph input '{input.Name}' has batch dimension {dims[0].DimValue}.");
            }

            _batchSize = (int)dims[0].DimValue;
        }

        var shape = new int[dims.Count - 1];
        long elements = 1;
        for (int i = 1; i < dims.Count; i++)
        {
            if (!dims[i].HasDimValue)
            {
                string symbol = dims[i].HasDimParam ? $"'{dims[i].DimParam}'" : "unknown";
                throw Fail($"dimension {i} of graph input '{input.Name}' is dynamic ({symbol}); only the batch dimension (0) may be.");
            }

            long d = dims[i].DimValue;
            elements *= Math.Max(d, 1);
            if (d < 1 || elements > Array.MaxLength)
            {
                throw Fail($"dimension {i} of graph input '{input.Name}' is {d}; dimensions must be at least 1 and a sample at most {Array.MaxLength} elements.");
            }

            shape[i - 1] = (int)d;
        }

        return (input.Name, shape);
    }

    private string ReadOutputName(GraphProto graph)
    {
        if (graph.Output.Count != 1 || string.IsNullOrEmpty(graph.Output[0].Name))
        {
            throw Fail($"the graph has {graph.Output.Count} outputs; a network has exactly one, named.");
        }

        return graph.Output[0].Name;
    }

    private void CheckOutput(GraphProto graph, string outputName)
    {
        var value = Resolve(outputName);
        if (value is not NodeOutputValue output)
        {
            throw Fail($"graph output '{outputName}' is a constant, not computed from the input.");
        }

        if (output.Node != _network.Nodes.Count - 1)
        {
            throw Fail($"graph output '{outputName}' is not the last layer's output.");
        }

        var declared = graph.Output[0].Type?.TensorType?.Shape?.Dim;
        if (declared is { Count: > 0 })
        {
            bool matches = declared.Count == output.Shape.Length + 1;
            for (int i = 1; matches && i < declared.Count; i++)
            {
                matches = !declared[i].HasDimValue || declared[i].DimValue == output.Shape[i - 1];
            }

            if (!matches)
            {
                throw Fail($"graph output '{outputName}' declares shape [{string.Join(", ", declared.Select(d => d.HasDimValue ? d.DimValue.ToString() : "?"))}] but the network computes [batch, {string.Join(", ", output.Shape)}].");
            }
        }
    }
}
