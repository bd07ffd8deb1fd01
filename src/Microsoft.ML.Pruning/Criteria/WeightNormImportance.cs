using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Criteria;

/// <summary>
/// The norm of each unit's incoming weights: a Dense layer's weight row, or a Conv2d filter over
/// [input channels / groups, kernel height, kernel width]. Units with small weights matter little.
/// </summary>
/// <remarks>
/// <para>
/// For filters this is the criterion of Li, Kadav, Durdanovic, Samet and Graf, "Pruning Filters for Efficient
/// ConvNets" (ICLR 2017), applied to MobileNet in "Pruning deep neural networks to make them fast and small"
/// (seeds/003): the L1 norm of a filter's weights. For neurons it is the unit-level weight magnitude. Biases are
/// not part of the norm. A group with several producers (the branches of a residual <see cref="Add"/>) scores each
/// unit with the mean of its producers' norms, so that it ranks against single-producer groups on the same scale
/// (<see cref="RankingScope.Global"/>): a sum would grow with the number of branches and protect residual groups.
/// </para>
/// <para>
/// With <see cref="NormalizeByFanIn"/> the L1 norm becomes the mean absolute weight and the L2 norm the root mean
/// square, so that layers with different fan-in can be ranked together (<see cref="RankingScope.Global"/>).
/// The criterion reads only weights (<see cref="RequiresData"/> is <see langword="false"/>).
/// </para>
/// </remarks>
public sealed class WeightNormImportance : IImportance
{
    /// <summary>Creates the criterion.</summary>
    /// <param name="norm">The norm. The default is <see cref="WeightNorm.L1"/>.</param>
    /// <param name="normalizeByFanIn">Whether to divide by the number of weights per unit. The default is <see langword="false"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="norm"/> is not a defined value.</exception>
    public WeightNormImportance(WeightNorm norm = WeightNorm.L1, bool normalizeByFanIn = false)
    {
        if (!Enum.IsDefined(norm))
        {
            throw new ArgumentOutOfRangeException(nameof(norm), norm, "norm must be WeightNorm.L1 or WeightNorm.L2.");
        }

        Norm = norm;
        NormalizeByFanIn = normalizeByFanIn;
    }

    /// <inheritdoc/>
    public string Name => Norm == WeightNorm.L1 ? "L1 norm" : "L2 norm";

    /// <inheritdoc/>
    public bool RequiresData => false;

    /// <summary>Gets the norm.</summary>
    public WeightNorm Norm { get; }

    /// <summary>
    /// Gets whether each norm is divided by the number of weights per unit (L1 becomes the mean absolute value, L2 the
    /// root mean square), making layers of different fan-in comparable.
    /// </summary>
    public bool NormalizeByFanIn { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException">An argument or a group is null.</exception>
    /// <exception cref="ArgumentException">A group does not fit the network; the message names it.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public IReadOnlyList<float[]> Score(Network network, IReadOnlyList<PruningGroup> groups, IBatchSource? data, CancellationToken cancellationToken = default)
    {
        ImportanceInputs.ValidateGroups(network, groups);
        var scores = new float[groups.Count][];
        for (int g = 0; g < groups.Count; g++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var group = groups[g];
            var sums = new double[group.UnitCount];
            foreach (var producer in group.Producers)
            {
                var weight = producer.Layer switch
                {
                    Dense dense => dense.Weight.Value,
                    Conv2d conv => conv.Weight.Value,
                    _ => throw new InvalidOperationException($"Group '{group.Name}': producer '{producer.Layer.Name}' has no weight."),
                };
                AddNorms(weight.Span, group.UnitCount, sums);
            }

            scores[g] = sums.Select(value => (float)(value / group.Producers.Count)).ToArray();
        }

        return scores;
    }

    private void AddNorms(ReadOnlySpan<float> weight, int units, double[] sums)
    {
        int fanIn = weight.Length / units;
        for (int unit = 0; unit < units; unit++)
        {
            double total = 0;
            foreach (float w in weight.Slice(unit * fanIn, fanIn))
            {
                total += Norm == WeightNorm.L1 ? Math.Abs(w) : (double)w * w;
            }

            if (NormalizeByFanIn)
            {
                total /= fanIn;
            }

            sums[unit] += Norm == WeightNorm.L1 ? total : Math.Sqrt(total);
        }
    }
}
