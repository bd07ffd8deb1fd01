using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Pruning;

/// <summary>
/// Finds which units of a network must be removed together, as Torch-Pruning's dependency graph does: a producer
/// (Dense, or Conv2d with one group) makes units; element-wise and channel-wise layers (BatchNorm, activations, Dropout,
/// pooling, depthwise Conv2d) and Flatten carry them; Dense and Conv2d layers read them; residual Adds join the units of
/// their inputs into one set. Anything else (Softmax, grouped convolutions, unknown layers) blocks the units it touches.
/// </summary>
/// <remarks>
/// The graph is a union-find over "unit spaces": each producer's output starts a space, layers that carry units pass
/// their input's space on, and an Add merges the spaces of its inputs. The network's input and the outputs of opaque
/// layers are spaces without producers; joining one of them to a producer's space blocks it, and so does reaching
/// the network's output.
/// </remarks>
internal sealed class DependencyGraph
{
    private readonly Network _network;
    private readonly List<int> _parent = [];
    private readonly List<Space> _spaces = [];
    private readonly Dictionary<int, string> _opaqueLayers = [];
    private readonly int[] _spaceOf;
    private readonly int[] _blockOf;
    private readonly List<ChannelCoupling> _couplings = [];

    private DependencyGraph(Network network)
    {
        _network = network;
        _spaceOf = new int[network.Nodes.Count];
        _blockOf = new int[network.Nodes.Count];
    }

    /// <summary>Gets every coupling with at least one producer, prunable or not, ordered by its first producer.</summary>
    public IReadOnlyList<ChannelCoupling> Couplings => _couplings;

    /// <summary>Analyses a network as it is now.</summary>
    /// <param name="network">The network.</param>
    /// <returns>The graph.</returns>
    public static DependencyGraph Build(Network network)
    {
        var graph = new DependencyGraph(network);
        graph.Propagate();
        graph.Collect();
        return graph;
    }

    /// <summary>Returns the coupling (with producers) in which a node plays a role, or <see langword="null"/>.</summary>
    /// <param name="node">The node.</param>
    /// <param name="role">The role: <see cref="CouplingRole.Producer"/> for the units a layer makes, <see cref="CouplingRole.Channels"/> for those it carries.</param>
    /// <returns>The coupling.</returns>
    public ChannelCoupling? CouplingOf(NetworkNode node, CouplingRole role) =>
        _couplings.FirstOrDefault(c => c.Members.Any(m => m.Role == role && ReferenceEquals(m.Node, node)));

    /// <summary>Gets why a layer blocks pruning (worded to follow "which"), or <see langword="null"/> when it does not.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The reason.</returns>
    public string? OpaqueReason(NetworkNode node) => _opaqueLayers.GetValueOrDefault(node.Index);

    private void Propagate()
    {
        const int input = 0;
        NewSpace(origin: "the network's input");
        foreach (var node in _network.Nodes)
        {
            var layer = node.Layer;
            var flow = LayerPruners.For(layer).Describe(layer);
            int index = node.Index;
            switch (flow.Kind)
            {
                case ChannelFlowKind.Produces:
                {
                    var (space, block) = InputOf(node, 0, input);
                    AddMember(space, new CouplingMember(node, CouplingRole.Consumer, block));
                    _spaceOf[index] = NewSpace(origin: null);
                    _blockOf[index] = 1;
                    AddMember(_spaceOf[index], new CouplingMember(node, CouplingRole.Producer, 1));
                    break;
                }

                case ChannelFlowKind.ElementWise or ChannelFlowKind.ChannelWise:
                {
                    var (space, block) = InputOf(node, 0, input);
                    AddMember(space, new CouplingMember(node, CouplingRole.Channels, block));
                    (_spaceOf[index], _blockOf[index]) = (space, block);
                    break;
                }

                case ChannelFlowKind.Flattens:
                {
                    var (space, block) = InputOf(node, 0, input);
                    var shape = _network.InputShapes(node)[0];
                    int plane = 1;
                    for (int axis = 1; axis < shape.Length; axis++)
                    {
                        plane *= shape[axis];
                    }

                    (_spaceOf[index], _blockOf[index]) = (space, block * plane);
                    break;
                }

                case ChannelFlowKind.Joins:
                    (_spaceOf[index], _blockOf[index]) = Join(node, input);
                    break;

                default:
                {
                    string reason = flow.Reason ?? "cannot be pruned";
                    _opaqueLayers[index] = reason;
                    for (int i = 0; i < node.Inputs.Count; i++)
                    {
                        Block(InputOf(node, i, input).Space, $"its units feed layer '{layer.Name}', which {reason}");
                    }

                    _spaceOf[index] = NewSpace(origin: $"the output of layer '{layer.Name}'");
                    _blockOf[index] = 1;
                    break;
                }
            }
        }

        if (_network.Nodes.Count > 0)
        {
            _spaces[Find(_spaceOf[^1])].Blocker = "its units are the network's output";
        }
    }

    private (int Space, int Block) Join(NetworkNode node, int input)
    {
        var (space, block) = InputOf(node, 0, input);
        var joined = new List<int> { space };
        for (int i = 1; i < node.Inputs.Count; i++)
        {
            var (other, otherBlock) = InputOf(node, i, input);
            joined.Add(other);
            if (otherBlock != block)
            {
                Block(space, $"its units meet other units at '{node.Layer.Name}' laid out differently");
                Block(other, $"its units meet other units at '{node.Layer.Name}' laid out differently");
            }
        }

        // A side without producers (the network's input, an opaque layer's output) cannot lose units, so neither can the rest.
        string? blocker = joined.Select(side => _spaces[side]).Where(side => !side.HasProducer && side.Origin is not null)
            .Select(side => $"its units are added at '{node.Layer.Name}' to {side.Origin}, whose units cannot be removed").FirstOrDefault();
        int root = joined[0];
        foreach (int other in joined.Skip(1))
        {
            root = Union(root, other);
        }

        if (blocker is not null)
        {
            Block(root, blocker);
        }

        _spaces[root].Joins.Add(node);
        return (root, block);
    }

    private void Collect()
    {
        for (int s = 0; s < _spaces.Count; s++)
        {
            var space = _spaces[s];
            if (_parent[s] != s || !space.HasProducer)
            {
                continue;
            }

            var members = space.Members.OrderBy(m => m.Node.Index).ToArray();
            var producers = members.Where(m => m.Role == CouplingRole.Producer).Select(m => m.Node).ToArray();
            _couplings.Add(new ChannelCoupling(producers, members, ActivationNodeOf(space, producers[0]), space.Blocker));
        }

        _couplings.Sort((a, b) => a.Producers[0].Index.CompareTo(b.Producers[0].Index));
    }

    // The last Add of the group (or the producer), then the chain of element-wise layers that alone read it.
    private NetworkNode ActivationNodeOf(Space space, NetworkNode producer)
    {
        var node = space.Joins.Count > 0 ? space.Joins.MaxBy(j => j.Index)! : producer;
        while (_network.ConsumersOf(node.Index) is [int only])
        {
            var next = _network.Nodes[only];
            if (next.Inputs.Count != 1 || LayerPruners.For(next.Layer).Describe(next.Layer).Kind != ChannelFlowKind.ElementWise)
            {
                break;
            }

            node = next;
        }

        return node;
    }

    private (int Space, int Block) InputOf(NetworkNode node, int input, int networkInput)
    {
        int source = node.Inputs[input];
        return source == NetworkNode.NetworkInput ? (Find(networkInput), 1) : (Find(_spaceOf[source]), _blockOf[source]);
    }

    private int NewSpace(string? origin)
    {
        _parent.Add(_spaces.Count);
        _spaces.Add(new Space { Origin = origin });
        return _spaces.Count - 1;
    }

    private void AddMember(int space, CouplingMember member)
    {
        var root = _spaces[Find(space)];
        root.Members.Add(member);
        root.HasProducer |= member.Role == CouplingRole.Producer;
    }

    private void Block(int space, string reason) => _spaces[Find(space)].Blocker ??= reason;

    private int Find(int space)
    {
        while (_parent[space] != space)
        {
            _parent[space] = _parent[_parent[space]];
            space = _parent[space];
        }

        return space;
    }

    private int Union(int a, int b)
    {
        int rootA = Find(a), rootB = Find(b);
        if (rootA == rootB)
        {
            return rootA;
        }

        // Keep the older space as the root; move the other's members into it.
        if (rootB < rootA)
        {
            (rootA, rootB) = (rootB, rootA);
        }

        var keep = _spaces[rootA];
        var merged = _spaces[rootB];
        _parent[rootB] = rootA;
        keep.Members.AddRange(merged.Members);
        keep.Joins.AddRange(merged.Joins);
        keep.HasProducer |= merged.HasProducer;
        keep.Blocker ??= merged.Blocker;
        keep.Origin ??= merged.Origin;
        return rootA;
    }

    private sealed class Space
    {
        public List<CouplingMember> Members { get; } = [];

        public List<NetworkNode> Joins { get; } = [];

        public bool HasProducer { get; set; }

        public string? Blocker { get; set; }

        // What a space without producers holds (the network's input, an opaque layer's output).
        public string? Origin { get; set; }
    }
}
