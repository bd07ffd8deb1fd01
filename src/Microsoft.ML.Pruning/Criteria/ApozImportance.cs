using System.Numerics;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Criteria;

/// <summary>
/// Average Percentage of Zeros: a unit that is rarely active after its ReLU matters little. The score is
/// 1 − APoZ, so that higher means more important.
/// </summary>
/// <remarks>
/// <para>
/// Hu, Peng, Tai and Tang, "Network Trimming: A Data-Driven Neuron Pruning Approach towards Efficient Deep
/// Architectures" (2016), as used for node pruning by Akm et al., "Node Pruning for Improved Neural Network Design"
/// (seeds/000). APoZ of a unit is the fraction of its activations that are zero, counted over every calibration sample
/// and, for a filter, over every spatial position of its feature map.
/// </para>
/// <para>
/// The activations are read at the output of the group's ReLU-family activation (<see cref="Relu"/> or
/// <see cref="LeakyRelu"/>), the last one in the chain of element-wise layers that ends at
/// <see cref="PruningGroup.ActivationNode"/>, from forward passes in evaluation mode. A value counts as zero when it is
/// at most 0: for ReLU that is an exact zero, for LeakyReLU a value on the negative slope (the unit is "off"). Layers
/// after the activation (a BatchNorm or Dropout after the ReLU) do not change the count: after a BatchNorm the zeros
/// are shifted and would all read as active. A group with no ReLU-family activation in its chain (a Sigmoid or Tanh
/// unit, a linear bottleneck) has no zeros to count, and <see cref="Score"/> throws a
/// <see cref="CriterionNotApplicableException"/> naming it. One pass over the data scores every group.
/// </para>
/// </remarks>
public sealed class ApozImportance : IImportance
{
    /// <summary>Creates the criterion.</summary>
    /// <param name="batchSize">The number of calibration samples per forward pass. The default is 256; it must be at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is less than 1.</exception>
    public ApozImportance(int batchSize = ImportanceInputs.DefaultBatchSize)
    {
        BatchSize = ImportanceInputs.CheckBatchSize(batchSize);
    }

    /// <inheritdoc/>
    public string Name => "APoZ";

    /// <inheritdoc/>
    public bool RequiresData => true;

    /// <summary>Gets the number of calibration samples per forward pass.</summary>
    public int BatchSize { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException">An argument or a group is null, or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">A group does not fit the network (the message names it) or the data is empty or does not fit.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public IReadOnlyList<float[]> Score(Network network, IReadOnlyList<PruningGroup> groups, IBatchSource? data, CancellationToken cancellationToken = default)
    {
        var apoz = ComputeApoz(network, groups, data, cancellationToken);
        var scores = new float[apoz.Count][];
        for (int g = 0; g < apoz.Count; g++)
        {
            scores[g] = apoz[g].Select(value => 1f - value).ToArray();
        }

        return scores;
    }

    /// <summary>Computes the raw APoZ of every unit: the fraction of its activations that are at most 0.</summary>
    /// <param name="network">The network; it is not modified.</param>
    /// <param name="groups">The groups to measure.</param>
    /// <param name="data">The calibration data.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>For each group, one APoZ per unit, in [0, 1]; lower means more important.</returns>
    /// <exception cref="ArgumentNullException">An argument or a group is null, or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">A group does not fit the network (the message names it) or the data is empty or does not fit.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public IReadOnlyList<float[]> ComputeApoz(Network network, IReadOnlyList<PruningGroup> groups, IBatchSource? data, CancellationToken cancellationToken = default)
    {
        ImportanceInputs.ValidateGroups(network, groups);
        var calibration = ImportanceInputs.RequireData(network, data, Name);
        if (groups.Count == 0)
        {
            return [];
        }

        var reluNodes = groups.Select(group => ReluNode(network, group)).ToArray();
        var zeros = new long[groups.Count][];
        var observations = new long[groups.Count];
        for (int g = 0; g < groups.Count; g++)
        {
            zeros[g] = new long[groups[g].UnitCount];
        }

        using var batches = new CalibrationBatches(calibration, network, BatchSize);
        int[] partCounts = [];
        while (batches.MoveNext(cancellationToken))
        {
            network.Forward(batches.Features, training: false);
            for (int g = 0; g < groups.Count; g++)
            {
                observations[g] += CountZeros(ImportanceInputs.Activations(network, groups[g], reluNodes[g]), groups[g].UnitCount, zeros[g], ref partCounts);
            }
        }

        var apoz = new float[groups.Count][];
        for (int g = 0; g < groups.Count; g++)
        {
            double total = observations[g];
            apoz[g] = zeros[g].Select(count => (float)(count / total)).ToArray();
        }

        return apoz;
    }

    /// <summary>
    /// Returns the last ReLU or LeakyReLU node of the chain of single-input element-wise layers that ends at the group's
    /// activation node, walking back to the producer (or to the residual Add where the chain starts).
    /// </summary>
    /// <exception cref="CriterionNotApplicableException">The chain has none.</exception>
    internal static NetworkNode ReluNode(Network network, PruningGroup group)
    {
        var chain = new List<string>();
        for (var node = group.ActivationNode; ; node = network.Nodes[node.Inputs[0]])
        {
            if (node.Layer is Relu or LeakyRelu)
            {
                return node;
            }

            chain.Add($"{node.Layer.Name} ({node.Layer.GetType().Name})");
            if (group.Producers.Contains(node) || node.Inputs.Count != 1 || node.Inputs[0] == NetworkNode.NetworkInput)
            {
                break;
            }
        }

        chain.Reverse();
        throw new CriterionNotApplicableException("APoZ", group.Name,
            $"APoZ counts zeros after a ReLU or LeakyReLU, but group '{group.Name}' has none between its producer and the layers that read it (its chain: {string.Join(" -> ", chain)}). " +
            "Leave the group out with StructuredPruningOptions.Layers, or use a criterion that reads weights or gradients (L1 norm, Taylor).");
    }

    /// <summary>
    /// Adds each unit's count of values at most 0 and returns how many values per unit the batch holds. The samples are
    /// split into <see cref="WorkerPool.Parts"/> ranges, each counted into its own counters; the counters are integers
    /// added in part order, so the counts do not depend on the thread count.
    /// </summary>
    private static int CountZeros(FloatTensor activations, int units, long[] zeros, ref int[] partCounts)
    {
        int batch = activations.Dim(0), spatial = activations.Length / (batch * units);
        int parts = Math.Min(WorkerPool.Parts, batch);
        if (partCounts.Length < parts * units)
        {
            partCounts = new int[parts * units];
        }

        var counts = partCounts;
        WorkerPool.Run(parts, part =>
        {
            int first = (int)((long)batch * part / parts), end = (int)((long)batch * (part + 1) / parts);
            CountRange(activations.Span.Slice(first * units * spatial, (end - first) * units * spatial), units, spatial, counts.AsSpan(part * units, units));
        });

        for (int part = 0; part < parts; part++)
        {
            var mine = counts.AsSpan(part * units, units);
            for (int unit = 0; unit < units; unit++)
            {
                zeros[unit] += mine[unit];
            }
        }

        return batch * spatial;
    }

    /// <summary>Sets each unit's count of values at most 0 in a run of whole samples.</summary>
    private static void CountRange(ReadOnlySpan<float> values, int units, int spatial, Span<int> counts)
    {
        counts.Clear();
        int sampleLength = units * spatial;
        for (int offset = 0; offset < values.Length; offset += sampleLength)
        {
            var sample = values.Slice(offset, sampleLength);
            if (spatial == 1)
            {
                AddNonPositive(sample, counts);
                continue;
            }

            for (int unit = 0; unit < units; unit++)
            {
                counts[unit] += CountNonPositive(sample.Slice(unit * spatial, spatial));
            }
        }
    }

    /// <summary>Adds 1 to <paramref name="counts"/>[i] for every <paramref name="values"/>[i] at most 0.</summary>
    private static void AddNonPositive(ReadOnlySpan<float> values, Span<int> counts)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // LessThanOrEqual sets all bits (−1 as an integer) where true: subtracting adds the hits.
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var hits = Vector.LessThanOrEqual(new Vector<float>(values.Slice(i, Vector<float>.Count)), Vector<float>.Zero);
                (new Vector<int>(counts.Slice(i, Vector<int>.Count)) - hits).CopyTo(counts.Slice(i, Vector<int>.Count));
            }
        }

        for (; i < values.Length; i++)
        {
            counts[i] += values[i] <= 0f ? 1 : 0;
        }
    }

    private static int CountNonPositive(ReadOnlySpan<float> values)
    {
        int i = 0, count = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            // LessThanOrEqual sets all bits (−1 as an integer) where true: subtracting counts the hits.
            var hits = Vector<int>.Zero;
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                hits -= Vector.LessThanOrEqual(new Vector<float>(values.Slice(i, Vector<float>.Count)), Vector<float>.Zero);
            }

            count = Vector.Sum(hits);
        }

        for (; i < values.Length; i++)
        {
            count += values[i] <= 0f ? 1 : 0;
        }

        return count;
    }
}
