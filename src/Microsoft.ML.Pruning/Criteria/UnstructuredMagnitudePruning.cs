using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Criteria;

/// <summary>
/// Element-wise magnitude pruning: masks the weights of Dense and Conv2d layers with the smallest magnitude through
/// <see cref="Parameter.Mask"/>, so that they stay zero through fine-tuning. Biases and BatchNorm parameters are never masked.
/// </summary>
/// <remarks>
/// <para>
/// Han, Pool, Tran and Dally, "Learning both Weights and Connections for Efficient Neural Networks" (NeurIPS 2015),
/// as used by seeds/001 (the "threshold model": per layer, weights below the layer's mean magnitude are removed) and
/// seeds/002 (iterative pruning at a rate).
/// </para>
/// <para>
/// Only unmasked weights are candidates; masked weights stay masked, so repeated calls accumulate. In
/// <see cref="MagnitudeThreshold.Rate"/> mode a call masks round(rate × n) of the n unmasked weights with the smallest
/// magnitude, per layer or over all layers together (<see cref="UnstructuredMagnitudePruningOptions.Ranking"/>). In
/// <see cref="MagnitudeThreshold.MeanThreshold"/> mode it masks, per layer, the unmasked weights whose magnitude is
/// below <see cref="UnstructuredMagnitudePruningOptions.QualityFactor"/> × the mean magnitude of the layer's unmasked
/// weights; the rate then caps how many go (at most round(rate × n) per layer, the smallest first), and a rate of 1
/// applies the threshold alone. Ties in magnitude are broken by position (earlier layers, then lower indices, first).
/// </para>
/// </remarks>
public sealed class UnstructuredMagnitudePruning : PruningMethod
{
    private readonly UnstructuredMagnitudePruningOptions _options;

    /// <summary>Creates the method with the default options: every Dense and Conv2d layer, the rate ranked per layer.</summary>
    public UnstructuredMagnitudePruning()
        : this(new UnstructuredMagnitudePruningOptions())
    {
    }

    /// <summary>Creates the method.</summary>
    /// <param name="options">The options; they are validated and copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public UnstructuredMagnitudePruning(UnstructuredMagnitudePruningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = new UnstructuredMagnitudePruningOptions
        {
            Mode = options.Mode,
            Ranking = options.Ranking,
            QualityFactor = options.QualityFactor,
            Layers = options.Layers?.ToArray(),
            IncludeOutputLayer = options.IncludeOutputLayer,
        };
    }

    /// <inheritdoc/>
    public override string Name => "magnitude, unstructured";

    /// <inheritdoc/>
    public override bool RequiresData => false;

    /// <summary>Gets how the weights to mask are chosen.</summary>
    public MagnitudeThreshold Mode => _options.Mode;

    /// <summary>Gets whether the rate is applied per layer or over all layers.</summary>
    public RankingScope Ranking => _options.Ranking;

    /// <summary>Gets the multiple of the mean magnitude under which weights go in <see cref="MagnitudeThreshold.MeanThreshold"/> mode.</summary>
    public double QualityFactor => _options.QualityFactor;

    /// <summary>
    /// Masks weights of <paramref name="network"/>.
    /// </summary>
    /// <param name="network">The network; its weights' masks are created or extended.</param>
    /// <param name="rate">
    /// The fraction of the unmasked weights to mask, in (0, 1]; in <see cref="MagnitudeThreshold.MeanThreshold"/> mode
    /// the most that each layer may lose.
    /// </param>
    /// <param name="calibration">Not used.</param>
    /// <param name="cancellationToken">Cancels the step before the network is changed.</param>
    /// <returns>The number of weights newly masked.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is not in (0, 1].</exception>
    /// <exception cref="ArgumentException">A layer named in the options is missing or is not a Dense or Conv2d layer.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public override int Apply(Network network, double rate, IBatchSource? calibration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(rate is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "rate must be in (0, 1].");
        }

        var weights = SelectWeights(network);
        var candidates = weights.Select(Unmasked).ToArray();
        var chosen = _options.Mode == MagnitudeThreshold.MeanThreshold
            ? candidates.Select((c, layer) => BelowMean(weights[layer], c, rate)).ToArray()
            : _options.Ranking == RankingScope.Global
                ? SmallestGlobally(weights, candidates, rate)
                : candidates.Select((c, layer) => Smallest(weights[layer], c, Round(rate * c.Length))).ToArray();

        cancellationToken.ThrowIfCancellationRequested();
        int removed = 0;
        for (int layer = 0; layer < weights.Length; layer++)
        {
            if (chosen[layer].Length == 0)
            {
                continue;
            }

            var weight = weights[layer];
            var mask = weight.Mask;
            if (mask is null)
            {
                mask = new FloatTensor(weight.Value.Shape);
                mask.Fill(1);
            }

            foreach (int index in chosen[layer])
            {
                mask.Span[index] = 0;
            }

            weight.Mask = mask;
            removed += chosen[layer].Length;
        }

        return removed;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">A layer named in the options is missing or is not a Dense or Conv2d layer.</exception>
    public override long? CountPrunable(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return SelectWeights(network).Sum(weight => (long)Unmasked(weight).Length);
    }

    private static int Round(double count) => (int)Math.Round(count, MidpointRounding.AwayFromZero);

    private static int[] Unmasked(Parameter weight)
    {
        if (weight.Mask is null)
        {
            return Enumerable.Range(0, weight.Length).ToArray();
        }

        var mask = weight.Mask.Span;
        var indices = new List<int>(weight.Length);
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i] != 0)
            {
                indices.Add(i);
            }
        }

        return indices.ToArray();
    }

    private static int[] Smallest(Parameter weight, int[] candidates, int count)
    {
        if (count <= 0)
        {
            return [];
        }

        var values = weight.Value.Data;
        var sorted = (int[])candidates.Clone();
        Array.Sort(sorted, (a, b) =>
        {
            int order = Math.Abs(values[a]).CompareTo(Math.Abs(values[b]));
            return order != 0 ? order : a.CompareTo(b);
        });
        return sorted[..Math.Min(count, sorted.Length)];
    }

    private static int[][] SmallestGlobally(Parameter[] weights, int[][] candidates, double rate)
    {
        var pool = new List<(float Magnitude, int Layer, int Index)>(candidates.Sum(c => c.Length));
        for (int layer = 0; layer < weights.Length; layer++)
        {
            var values = weights[layer].Value.Span;
            foreach (int index in candidates[layer])
            {
                pool.Add((Math.Abs(values[index]), layer, index));
            }
        }

        pool.Sort();
        var chosen = weights.Select(_ => new List<int>()).ToArray();
        foreach (var (_, layer, index) in pool.Take(Round(rate * pool.Count)))
        {
            chosen[layer].Add(index);
        }

        return chosen.Select(c => c.ToArray()).ToArray();
    }

    private int[] BelowMean(Parameter weight, int[] candidates, double rate)
    {
        if (candidates.Length == 0)
        {
            return [];
        }

        var values = weight.Value.Span;
        double sum = 0;
        foreach (int index in candidates)
        {
            sum += Math.Abs(values[index]);
        }

        double threshold = _options.QualityFactor * sum / candidates.Length;
        int below = 0;
        foreach (int index in candidates)
        {
            if (Math.Abs(values[index]) < threshold)
            {
                below++;
            }
        }

        return Smallest(weight, candidates, Math.Min(below, Round(rate * candidates.Length)));
    }

    private Parameter[] SelectWeights(Network network)
    {
        var weighted = network.Nodes.Where(n => n.Layer is Dense or Conv2d).ToList();
        var output = weighted.Count > 0 ? weighted[^1] : null;
        IEnumerable<NetworkNode> selected = weighted;
        if (_options.Layers is { } names)
        {
            selected = names.Select(name =>
            {
                var node = network.Nodes.FirstOrDefault(n => n.Layer.Name == name)
                    ?? throw new ArgumentException($"Layers names '{name}', but the network has no layer of that name.", "Layers");
                return node.Layer is Dense or Conv2d
                    ? node
                    : throw new ArgumentException($"Layers names '{name}', a {node.Layer.GetType().Name}; only Dense and Conv2d weights can be masked.", "Layers");
            }).Distinct().OrderBy(n => n.Index).ToList();
        }

        return selected
            .Where(n => _options.IncludeOutputLayer || !ReferenceEquals(n, output))
            .Select(n => n.Layer is Dense dense ? dense.Weight : ((Conv2d)n.Layer).Weight)
            .ToArray();
    }
}
