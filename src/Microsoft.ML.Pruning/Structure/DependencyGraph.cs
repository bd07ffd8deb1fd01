using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>
/// Finds which units of a network must be removed together, as Torch-Pruning's dependency graph does: a producer
/// (Dense, or Conv2d with one group) makes units; element-wise and channel-wise layers (BatchNorm, activations, Dropout,
/// pooling, depthwise and grouped Conv2d) and Flatten carry them; Dense and Conv2d layers read them; joins (residual
/// Add, Multiply between feature maps) merge the units of their inputs into one set; Concat lays its inputs' units side
/// by side, each keeping its own index range; a channel slice passes on the units in its range. Anything else
/// (Softmax, channel shuffle, unknown layers) blocks the units it touches.
/// </summary>
/// <remarks>
/// The graph is a union-find over "unit spaces" (<see cref="UnitSpaces"/>): each producer's output starts a space,
/// and each layer output is a view, a list of <see cref="ViewSegment"/>s over spaces (one, or one per Concat input).
/// Layers that carry units pass their input's view on, and a join merges the spaces of its inputs segment by segment.
/// The network's input and the outputs of opaque layers are spaces without producers; joining one of them to a
/// producer's space blocks it, and so does reaching the network's output.
/// </remarks>
internal sealed class DependencyGraph
{
    private readonly Network _network;
    private readonly UnitSpaces _spaces = new();
    private readonly Dictionary<int, string> _opaqueLayers = [];
    private readonly ViewSegment[][] _viewOf;
    private readonly List<ChannelCoupling> _couplings = [];
    private ViewSegment[] _inputView = [];

    private DependencyGraph(Network network)
    {
        _network = network;
        _viewOf = new ViewSegment[network.Nodes.Count][];
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
        int inputWidth = Width(_network.InputShape);
        _inputView = [new ViewSegment(_spaces.New(origin: "the network's input", inputWidth), 1, inputWidth)];
        foreach (var node in _network.Nodes)
        {
            var layer = node.Layer;
            var flow = LayerPruners.For(layer).Describe(layer);
            _viewOf[node.Index] = flow.Kind switch
            {
                ChannelFlowKind.Produces => Produce(node),
                ChannelFlowKind.ElementWise or ChannelFlowKind.ChannelWise => Carry(node, ViewOf(node, 0)),
                ChannelFlowKind.GroupedChannels => CarryGroups(node, flow.Count),
                ChannelFlowKind.Flattens => Flatten(node),
                ChannelFlowKind.Joins => Join(node),
                ChannelFlowKind.Concatenates => Enumerable.Range(0, node.Inputs.Count).SelectMany(i => ViewOf(node, i)).ToArray(),
                ChannelFlowKind.Slices => Slice(node, flow.Start, flow.Count),
                _ => Opaque(node, flow.Reason ?? "cannot be pruned"),
            };
        }

        if (_network.Nodes.Count > 0)
        {
            foreach (var segment in _viewOf[^1])
            {
                _spaces[segment.Space].Blocker = "its units are the network's output";
            }
        }
    }

    private ViewSegment[] Produce(NetworkNode node)
    {
        AddMembers(ViewOf(node, 0), node, CouplingRole.Consumer);
        int width = Width(node.OutputShape);
        int space = _spaces.New(origin: null, width);
        _spaces.AddMember(space, new CouplingMember(node, CouplingRole.Producer, 1, 0, width));
        return [new ViewSegment(space, 1, width)];
    }

    private ViewSegment[] Carry(NetworkNode node, ViewSegment[] view)
    {
        AddMembers(view, node, CouplingRole.Channels);
        return view;
    }

    // A grouped convolution keeps channels in place but only in whole groups; it must see one space, one unit per channel.
    private ViewSegment[] CarryGroups(NetworkNode node, int groupSize)
    {
        var view = ViewOf(node, 0);
        if (view is [{ Block: 1, First: 0 } only] && only.Width == Width(_network.InputShapes(node)[0]))
        {
            _spaces.RequireRuns(only.Space, groupSize);
        }
        else
        {
            foreach (var segment in view)
            {
                _spaces.Block(segment.Space, $"its units reach the grouped convolution '{node.Layer.Name}' beside other units, so its groups would mix them");
            }
        }

        return Carry(node, view);
    }

    private ViewSegment[] Flatten(NetworkNode node)
    {
        var shape = _network.InputShapes(node)[0];
        int plane = 1;
        for (int axis = 1; axis < shape.Length; axis++)
        {
            plane *= shape[axis];
        }

        return ViewOf(node, 0).Select(s => s with { Block = s.Block * plane, Width = s.Width * plane }).ToArray();
    }

    private ViewSegment[] Slice(NetworkNode node, int start, int count)
    {
        var view = ViewOf(node, 0);
        AddMembers(view, node, CouplingRole.Channels);
        var kept = new List<ViewSegment>();
        int offset = 0, end = start + count;
        foreach (var segment in view)
        {
            int segmentEnd = offset + segment.Width;
            if (offset >= start && segmentEnd <= end)
            {
                kept.Add(segment);
            }
            else if (offset < end && segmentEnd > start)
            {
                // A range of the segment's units passes on, when the slice does not cut through a unit's block.
                int from = Math.Max(offset, start) - offset, to = Math.Min(segmentEnd, end) - offset;
                if (from % segment.Block == 0 && to % segment.Block == 0)
                {
                    kept.Add(segment with { Width = to - from, First = segment.First + (from / segment.Block) });
                }
                else
                {
                    _spaces.Block(segment.Space, $"the channel slice '{node.Layer.Name}' cuts through its units' blocks");
                    kept.Add(new ViewSegment(_spaces.New($"the output of layer '{node.Layer.Name}'", to - from), 1, to - from));
                }
            }

            offset = segmentEnd;
        }

        return kept.ToArray();
    }

    private ViewSegment[] Opaque(NetworkNode node, string reason)
    {
        _opaqueLayers[node.Index] = reason;
        for (int i = 0; i < node.Inputs.Count; i++)
        {
            foreach (var segment in ViewOf(node, i))
            {
                _spaces.Block(segment.Space, $"its units feed layer '{node.Layer.Name}', which {reason}");
            }
        }

        int width = Width(node.OutputShape);
        return [new ViewSegment(_spaces.New(origin: $"the output of layer '{node.Layer.Name}'", width), 1, width)];
    }

    private ViewSegment[] Join(NetworkNode node)
    {
        var views = Enumerable.Range(0, node.Inputs.Count).Select(i => ViewOf(node, i)).ToArray();
        var first = views[0];
        var shapes = _network.InputShapes(node);
        bool aligned = shapes.All(shape => shape.Length == shapes[0].Length) && views.All(view => view.Length == first.Length
            && view.Zip(first).All(pair => pair.First.Block == pair.Second.Block && pair.First.Width == pair.Second.Width && pair.First.First == pair.Second.First));
        if (!aligned)
        {
            foreach (var segment in views.SelectMany(view => view))
            {
                _spaces.Block(segment.Space, $"its units meet other units at '{node.Layer.Name}' laid out differently");
            }

            return first;
        }

        var joined = new ViewSegment[first.Length];
        for (int k = 0; k < first.Length; k++)
        {
            var sides = views.Select(view => _spaces.Find(view[k].Space)).ToArray();

            // Merging spaces pairs their units by index, so each side must show all of its space's units (not a slice's part).
            if (sides.Distinct().Count() > 1 && views.Any(view => view[k].First != 0 || view[k].Units != _spaces[view[k].Space].Units))
            {
                foreach (var view in views)
                {
                    _spaces.Block(view[k].Space, $"only part of its units meet other units at '{node.Layer.Name}'");
                }

                joined[k] = first[k];
                continue;
            }

            // A side without producers (the network's input, an opaque layer's output) cannot lose units, so neither can the rest.
            string? blocker = sides.Select(side => _spaces[side]).Where(side => !side.HasProducer && side.Origin is not null)
                .Select(side => $"its units are added at '{node.Layer.Name}' to {side.Origin}, whose units cannot be removed").FirstOrDefault();
            int root = sides.Skip(1).Aggregate(sides[0], _spaces.Union);
            if (blocker is not null)
            {
                _spaces.Block(root, blocker);
            }

            // Activation-based criteria read a join's output as the group's units only when it holds exactly those units.
            if (first.Length == 1 && first[0].Block == 1 && first[0].First == 0 && first[0].Units == _spaces[root].Units)
            {
                _spaces[root].Joins.Add(node);
            }

            joined[k] = first[k] with { Space = root };
        }

        return joined;
    }

    private void AddMembers(ViewSegment[] view, NetworkNode node, CouplingRole role)
    {
        int total = view.Sum(s => s.Width), offset = 0;
        foreach (var segment in view)
        {
            _spaces.AddMember(segment.Space, new CouplingMember(node, role, segment.Block, offset, total, segment.First, segment.Units));
            offset += segment.Width;
        }
    }

    private void Collect()
    {
        for (int s = 0; s < _spaces.Count; s++)
        {
            var space = _spaces[s];
            if (!_spaces.IsRoot(s) || !space.HasProducer)
            {
                continue;
            }

            var members = space.Members.OrderBy(m => m.Node.Index).ToArray();
            var producers = members.Where(m => m.Role == CouplingRole.Producer).Select(m => m.Node).ToArray();
            _couplings.Add(new ChannelCoupling(producers, members, ActivationNodeOf(space, producers[0]), space.Blocker, space.Granularity));
        }

        _couplings.Sort((a, b) => a.Producers[0].Index.CompareTo(b.Producers[0].Index));
    }

    // The last join of the group (or the producer), then the chain of element-wise layers that alone read it.
    private NetworkNode ActivationNodeOf(UnitSpace space, NetworkNode producer)
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

    private ViewSegment[] ViewOf(NetworkNode node, int input)
    {
        int source = node.Inputs[input];
        return source == NetworkNode.NetworkInput ? _inputView : _viewOf[source];
    }

    private static int Width(int[] shape) => shape.Length == 0 ? 1 : shape[0];
}
