using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>Applies the removal of a coupling's units to each of its layers, through the layers' pruners.</summary>
internal static class CouplingRemoval
{
    /// <summary>Removes units from every layer of a coupling (checks done by the caller).</summary>
    /// <param name="network">The network, for the layers' input shapes.</param>
    /// <param name="coupling">The coupling.</param>
    /// <param name="removed">Per unit, whether it goes.</param>
    /// <remarks>
    /// Each layer sees the units on one axis, possibly beside other units (a Concat's other inputs) and expanded to
    /// blocks (a plane per channel after a Flatten); one layer may see them more than once (a Concat of a tensor with
    /// itself). The layer keeps every entry of that axis no member maps a removed unit onto.
    /// </remarks>
    public static void Apply(Network network, ChannelCoupling coupling, bool[] removed)
    {
        // Input shapes before any layer changes, for the pruners that need them.
        var inputShapes = coupling.Members.Select(m => m.Node).Distinct().ToDictionary(n => n.Index, n => network.InputShapes(n)[0]);
        foreach (var members in coupling.Members.GroupBy(m => (m.Node.Index, m.Role)))
        {
            var first = members.First();
            var drop = new bool[first.Total];
            foreach (var member in members)
            {
                int end = member.Units < 0 ? removed.Length : member.First + member.Units;
                for (int unit = member.First; unit < end; unit++)
                {
                    if (removed[unit])
                    {
                        drop.AsSpan(member.Offset + ((unit - member.First) * member.Block), member.Block).Fill(true);
                    }
                }
            }

            int[] keep = Enumerable.Range(0, drop.Length).Where(i => !drop[i]).ToArray();
            var layer = first.Node.Layer;
            var pruner = LayerPruners.For(layer);
            switch (first.Role)
            {
                case CouplingRole.Producer:
                    pruner.KeepOutputs(layer, keep);
                    break;
                case CouplingRole.Channels:
                    pruner.KeepChannels(layer, keep, inputShapes[first.Node.Index]);
                    break;
                default:
                    pruner.KeepInputs(layer, keep);
                    break;
            }
        }
    }

    /// <summary>Returns the first block of <paramref name="granularity"/> units that is only partly removed, or -1.</summary>
    /// <param name="removed">Per unit, whether it goes.</param>
    /// <param name="granularity">The run length.</param>
    /// <returns>The block's index, or -1 when every block goes whole or stays whole.</returns>
    public static int FirstSplitBlock(bool[] removed, int granularity)
    {
        for (int start = 0; start < removed.Length; start += granularity)
        {
            for (int i = start + 1; i < start + granularity; i++)
            {
                if (removed[i] != removed[start])
                {
                    return start / granularity;
                }
            }
        }

        return -1;
    }
}
