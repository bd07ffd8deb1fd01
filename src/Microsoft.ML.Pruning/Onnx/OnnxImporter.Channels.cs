using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx.Proto;

namespace Microsoft.ML.Pruning.Onnx;

/// <summary>
/// The channel operators of <see cref="OnnxImporter"/>: Concat (of feature maps along the channels, or of shape
/// vectors), Split and Slice on the channels (one <see cref="ChannelSlice"/> per output), Transpose (the identity, or
/// inside a channel shuffle) and ReduceMean over the spatial axes.
/// </summary>
internal sealed partial class OnnxImporter
{
    private void ImportConcat(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var inputs = node.Input.Select((name, i) => Resolve(InputName(node, i, $"input {i}"))).ToList();
        if (inputs.Count == 0)
        {
            throw Fail("Concat needs at least one input.");
        }

        if (inputs.All(v => v is not NodeOutputValue))
        {
            ConcatIntegers(node, inputs);
            return;
        }

        var maps = inputs.OfType<NodeOutputValue>().ToList();
        if (maps.Count != inputs.Count)
        {
            throw Fail("Concat of feature maps and constants is not supported; every input must be computed from the graph input.");
        }

        int rank = maps[0].Shape.Length + 1;
        long axis = Normalize(attributes.GetInt64("axis", 1), rank);
        if (axis != 1)
        {
            throw Fail($"axis {attributes.GetInt64("axis", 1)} is not supported; only concatenation along the channels (axis 1) is.");
        }

        AddLayer(node, new Concat(maps.Count, LayerName(node)), maps.Select(m => m.Node).ToArray());
    }

    private void ImportSplit(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var x = Data(node, 0, "input");
        long axis = Normalize(attributes.GetInt64("axis", 0), x.Shape.Length + 1);
        if (axis != 1)
        {
            throw Fail($"axis {attributes.GetInt64("axis", 0)} is not supported; only splits along the channels (axis 1) are.");
        }

        int channels = x.Shape[0], outputs = node.Output.Count;
        // The sizes are an input from opset 13 (and may be one in Split-1), an attribute in between.
        long[] sizes = _opset >= 13 || (_opset < 2 && !attributes.Has("split"))
            ? OptionalConstant(node, 1, "split")?.Integers("split", r => Fail(r)) ?? []
            : attributes.GetInt64s("split") ?? [];
        if (sizes.Length == 0)
        {
            int parts = attributes.Has("num_outputs") ? attributes.GetInt("num_outputs", outputs) : outputs;
            if (parts < 1 || parts != outputs)
            {
                throw Fail($"num_outputs {parts} differs from the node's {outputs} outputs.");
            }

            int size = (channels + parts - 1) / parts;
            sizes = Enumerable.Range(0, parts).Select(k => (long)Math.Clamp(channels - (k * size), 0, size)).ToArray();
        }

        if (sizes.Length != outputs || sizes.Any(s => s < 1) || sizes.Sum() != channels)
        {
            throw Fail($"split sizes [{string.Join(", ", sizes)}] must be {outputs} positive values summing to the {channels} channels.");
        }

        int start = 0;
        for (int k = 0; k < outputs; k++)
        {
            if (node.Output[k].Length > 0)
            {
                int index = _network.Add(new ChannelSlice(start, (int)sizes[k], $"{LayerName(node)}_{k}"), x.Node);
                _values[node.Output[k]] = new NodeOutputValue(index, _network.Nodes[index].OutputShape);
            }

            start += (int)sizes[k];
        }
    }

    /// <summary>
    /// Imports Slice of the channels, or of a shape vector: starts, ends and axes are attributes before opset 10 (steps
    /// of 1), inputs from it (with steps).
    /// </summary>
    private void ImportSlice(NodeProto node)
    {
        var input = Resolve(InputName(node, 0, "data"));
        long[] starts, ends;
        long[]? axes, steps = null;
        if (_opset < 10)
        {
            var attributes = new OnnxAttributes(node, r => Fail(r));
            starts = attributes.GetInt64s("starts") ?? throw Fail($"the starts attribute is missing (opset {_opset}).");
            ends = attributes.GetInt64s("ends") ?? throw Fail($"the ends attribute is missing (opset {_opset}).");
            axes = attributes.GetInt64s("axes");
        }
        else
        {
            starts = Constant(node, 1, "starts").Integers("starts", r => Fail(r));
            ends = ConstantIntegers(node, 2, "ends");
            axes = OptionalConstant(node, 3, "axes")?.Integers("axes", r => Fail(r));
            steps = OptionalConstant(node, 4, "steps")?.Integers("steps", r => Fail(r));
        }

        axes ??= Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        steps ??= Enumerable.Repeat(1L, starts.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
        {
            throw Fail("starts, ends, axes and steps must have the same length.");
        }

        if (input is ConstantValue constant)
        {
            Bind(node, FoldSlice(constant.FloatTensor, starts, ends, axes, steps));
            return;
        }

        if (steps.Any(s => s != 1))
        {
            throw Fail($"steps [{string.Join(", ", steps)}] are not supported; only steps of 1 are.");
        }

        if (input is not NodeOutputValue x)
        {
            var (values, batch, dims) = Integers(input, "data");
            if (dims.Length != 1 || starts.Length != 1 || Normalize(axes[0], 1) != 0)
            {
                throw Fail("only slices of 1-D shape vectors are folded at import.");
            }

            var (from, count) = SliceRange(starts[0], ends[0], values.Length);
            Bind(node, MakeIntegers(values.AsSpan(from, count).ToArray(), batch.AsSpan(from, count).ToArray(), [count]));
            return;
        }

        int rank = x.Shape.Length + 1;
        (int Start, int Count)? channels = null;
        for (int i = 0; i < starts.Length; i++)
        {
            long axis = Normalize(axes[i], rank);
            if (axis < 0 || axis >= rank)
            {
                throw Fail($"axis {axes[i]} is outside the rank-{rank} input.");
            }

            int size = axis == 0 ? int.MaxValue : x.Shape[axis - 1];
            var (from, count) = SliceRange(starts[i], ends[i], size);
            if (axis == 1)
            {
                channels = (from, count);
            }
            else if (from != 0 || count != size)
            {
                throw Fail($"slicing axis {axis} (to [{from}, {from + count})) is not supported; only slices of the channels (axis 1) are.");
            }
        }

        if (channels is not { } range || (range.Start == 0 && range.Count == x.Shape[0]))
        {
            Bind(node, x);
            return;
        }

        if (range.Count < 1)
        {
            throw Fail("the slice keeps no channel.");
        }

        AddLayer(node, new ChannelSlice(range.Start, range.Count, LayerName(node)), x.Node);
    }

    /// <summary>Imports Transpose: the identity permutation; a channel shuffle's Transpose is fused by its Reshape.</summary>
    private void ImportTranspose(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        if (Resolve(InputName(node, 0, "data")) is ConstantValue constant)
        {
            Bind(node, FoldTranspose(constant.FloatTensor, attributes.GetInt64s("perm")));
            return;
        }

        var x = Data(node, 0, "data");
        var perm = attributes.GetInt64s("perm") ?? Enumerable.Range(0, x.Shape.Length + 1).Reverse().Select(i => (long)i).ToArray();
        if (!perm.Select((p, i) => p == i).All(same => same))
        {
            throw Fail($"perm [{string.Join(", ", perm)}] is not supported; only the identity, and the channel shuffle Reshape-Transpose-Reshape, are.");
        }

        Bind(node, x);
    }

    /// <summary>Imports ReduceMean over the spatial axes of [batch, C, H, W] as a global average pool (and a Flatten when keepdims=0).</summary>
    private void ImportReduceMean(NodeProto node)
    {
        var attributes = new OnnxAttributes(node, r => Fail(r));
        var x = SpatialData(node);
        long[]? axes = _opset >= 18
            ? OptionalConstant(node, 1, "axes")?.Integers("axes", r => Fail(r))
            : attributes.GetInt64s("axes");
        var normalized = (axes ?? []).Select(a => Normalize(a, 4)).Order().ToArray();
        if (!normalized.SequenceEqual([2L, 3L]))
        {
            throw Fail($"axes [{string.Join(", ", axes ?? [])}] are not supported; only the mean over the spatial axes [2, 3] of [batch, channels, height, width] is.");
        }

        int index = _network.Add(new GlobalAvgPool(LayerName(node)), x.Node);
        if (attributes.GetInt64("keepdims", 1) == 0)
        {
            index = _network.Add(new Networks.Flatten($"{LayerName(node)}_flatten"), index);
        }

        Bind(node, new NodeOutputValue(index, _network.Nodes[index].OutputShape));
    }

    private long[] ConstantIntegers(NodeProto node, int index, string role) => Constant(node, index, role).Integers(role, r => Fail(r));

    private static (int Start, int Count) SliceRange(long start, long end, long size)
    {
        start = Math.Clamp(start < 0 ? start + size : start, 0, size);
        end = Math.Clamp(end < 0 ? end + size : end, 0, size);
        return ((int)Math.Min(start, int.MaxValue), (int)Math.Max(0, Math.Min(end - start, int.MaxValue)));
    }
}
