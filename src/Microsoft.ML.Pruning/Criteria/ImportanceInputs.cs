using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Criteria;

/// <summary>The argument checks every criterion runs before it scores.</summary>
internal static class ImportanceInputs
{
    /// <summary>The batch size that data-based criteria use unless told otherwise.</summary>
    public const int DefaultBatchSize = 256;

    /// <summary>
    /// Checks that the network and the groups are given and that every group belongs to the network: its producers are
    /// Dense or Conv2d nodes of this network with <see cref="PruningGroup.UnitCount"/> output units, and its activation
    /// node has that many channels.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="groups">The groups.</param>
    /// <exception cref="ArgumentNullException">The network, the group list or a group is null.</exception>
    /// <exception cref="ArgumentException">A group does not fit the network; the message names the group.</exception>
    public static void ValidateGroups(Network network, IReadOnlyList<PruningGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(groups);
        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g] ?? throw new ArgumentNullException(nameof(groups), $"Group {g} is null.");
            if (group.Producers.Count == 0)
            {
                throw new ArgumentException($"Group '{group.Name}' has no producer layer.", nameof(groups));
            }

            foreach (var producer in group.Producers)
            {
                CheckBelongs(network, group, producer, "producer");
                int units = producer.Layer switch
                {
                    Dense dense => dense.Outputs,
                    Conv2d conv => conv.OutChannels,
                    _ => throw new ArgumentException(
                        $"Group '{group.Name}': producer '{producer.Layer.Name}' is a {producer.Layer.GetType().Name}; only Dense and Conv2d layers can be scored.", nameof(groups)),
                };
                if (units != group.UnitCount)
                {
                    throw new ArgumentException(
                        $"Group '{group.Name}' has {group.UnitCount} units but its producer '{producer.Layer.Name}' has {units} outputs; find the groups again after the network changes.", nameof(groups));
                }
            }

            CheckBelongs(network, group, group.ActivationNode, "activation node");
            var shape = group.ActivationNode.OutputShape;
            if (shape.Length is not (1 or 3) || shape[0] != group.UnitCount)
            {
                throw new ArgumentException(
                    $"Group '{group.Name}': activation node '{group.ActivationNode.Layer.Name}' has per-sample shape {FloatTensor.FormatShape(shape)}, not [{group.UnitCount}] or [{group.UnitCount}, height, width].", nameof(groups));
            }
        }
    }

    /// <summary>Checks that calibration data is given, is not empty and fits the network's input.</summary>
    /// <param name="network">The network.</param>
    /// <param name="data">The data.</param>
    /// <param name="criterion">The criterion's name, for the messages.</param>
    /// <returns>The data, not null.</returns>
    /// <exception cref="ArgumentNullException">The data is null.</exception>
    /// <exception cref="ArgumentException">The data is empty or its samples do not fit the network.</exception>
    public static IBatchSource RequireData(Network network, IBatchSource? data, string criterion)
    {
        if (data is null)
        {
            throw new ArgumentNullException(nameof(data), $"The {criterion} criterion reads activations and needs calibration data.");
        }

        if (data.RowCount == 0)
        {
            throw new ArgumentException($"The {criterion} criterion needs calibration data, but the data set is empty.", nameof(data));
        }

        if (!data.SampleShape.SequenceEqual(network.InputShape))
        {
            throw new ArgumentException(
                $"The calibration samples have shape {FloatTensor.FormatShape(data.SampleShape.ToArray())} but the network expects {FloatTensor.FormatShape(network.InputShape)}.", nameof(data));
        }

        (data as Dataset)?.EnsureFinite("calibration");
        return data;
    }

    /// <summary>Checks a batch size given to a criterion's constructor.</summary>
    /// <param name="batchSize">The batch size.</param>
    /// <returns>The batch size.</returns>
    /// <exception cref="ArgumentOutOfRangeException">It is less than 1.</exception>
    public static int CheckBatchSize(int batchSize) =>
        batchSize >= 1 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");

    /// <summary>Returns a group's activations from the network's last forward pass, [batch, units] or [batch, units, height, width].</summary>
    /// <param name="network">The network.</param>
    /// <param name="group">The group.</param>
    /// <returns>The activation node's output, owned by its layer.</returns>
    /// <exception cref="InvalidOperationException">The output is missing or its channel count is not the group's unit count.</exception>
    public static FloatTensor Activations(Network network, PruningGroup group) => Activations(network, group, group.ActivationNode);

    /// <summary>Returns the output of <paramref name="node"/>, one of the group's chain, from the network's last forward pass.</summary>
    /// <param name="network">The network.</param>
    /// <param name="group">The group.</param>
    /// <param name="node">The node to read.</param>
    /// <returns>The node's output, owned by its layer.</returns>
    /// <exception cref="InvalidOperationException">The output is missing or its channel count is not the group's unit count.</exception>
    public static FloatTensor Activations(Network network, PruningGroup group, NetworkNode node)
    {
        var output = network.OutputOf(node.Index)
            ?? throw new InvalidOperationException($"Group '{group.Name}': the network produced no output at node '{node.Layer.Name}'.");
        if (output.Rank is not (2 or 4) || output.Dim(1) != group.UnitCount)
        {
            throw new InvalidOperationException(
                $"Group '{group.Name}': node '{node.Layer.Name}' produced {FloatTensor.FormatShape(output.Shape)}, not {group.UnitCount} channels.");
        }

        return output;
    }

    private static void CheckBelongs(Network network, PruningGroup group, NetworkNode node, string role)
    {
        if (node.Index < 0 || node.Index >= network.Nodes.Count || !ReferenceEquals(network.Nodes[node.Index].Layer, node.Layer))
        {
            throw new ArgumentException($"Group '{group.Name}': its {role} '{node.Layer.Name}' is not a node of this network.", "groups");
        }
    }
}
