using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Loop;
using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>
/// Structural pruning with any criterion: finds the prunable groups, scores their units with an <see cref="IImportance"/>,
/// chooses the lowest-scoring units under the rate and the options, and removes them from the network.
/// </summary>
/// <remarks>
/// When the criterion gives every unit of a group the same score it cannot rank them, and they go by index; a pruning
/// run then says so in the step's <see cref="PruningStepReport.Warnings"/> and in its progress messages.
/// Removal follows 003 (filters go with the next layer's input channels and the BatchNorm channels between them) and
/// Torch-Pruning's dependency groups (residual Adds couple layers); see <see cref="PruningGroup"/> and <see cref="PruningGroup.Find"/>. The network's
/// parameters keep their identity, so an optimizer can be reused for fine-tuning: it restarts the state of every
/// parameter that shrank, as a fresh optimizer would.
/// </remarks>
public sealed class StructuredPruning : PruningMethod
{
    private readonly StructuredPruningOptions _options;

    /// <summary>Creates the method.</summary>
    /// <param name="importance">The criterion that scores units.</param>
    /// <param name="options">The layers to prune and how a rate becomes units; <see langword="null"/> for the defaults. Copied and validated here.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public StructuredPruning(IImportance importance, StructuredPruningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(importance);
        options ??= new StructuredPruningOptions();
        options.Validate();
        Importance = importance;
        _options = new StructuredPruningOptions
        {
            Layers = options.Layers?.ToArray(),
            IncludeFirstLayer = options.IncludeFirstLayer,
            Ranking = options.Ranking,
            MinimumUnits = options.MinimumUnits,
            RoundTo = options.RoundTo,
            ScoreThreshold = options.ScoreThreshold,
        };
    }

    /// <summary>Gets the criterion.</summary>
    public IImportance Importance { get; }

    /// <summary>Gets the method's own copy of its options (a stage that leaves frozen layers alone narrows its layers).</summary>
    internal StructuredPruningOptions Options => _options;

    /// <inheritdoc/>
    public override string Name => $"{Importance.Name}, structured";

    /// <inheritdoc/>
    public override bool RequiresData => Importance.RequiresData;

    /// <inheritdoc/>
    /// <remarks>
    /// <paramref name="rate"/> may be 1 with <see cref="StructuredPruningOptions.ScoreThreshold"/> (every unit under the
    /// threshold goes). Returns 0 when the network has no prunable group.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is outside (0, 1].</exception>
    /// <exception cref="ArgumentException">
    /// The criterion needs data and <paramref name="calibration"/> is <see langword="null"/>, or
    /// <see cref="StructuredPruningOptions.Layers"/> names a layer that cannot be pruned.
    /// </exception>
    /// <exception cref="InvalidOperationException">The criterion returned the wrong number of scores; the message names it and the group.</exception>
    public override int Apply(Network network, double rate, IBatchSource? calibration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        CheckRate(rate);
        return Prepare(network, calibration, cancellationToken).Apply(network, rate, cancellationToken);
    }

    /// <inheritdoc/>
    public override long? CountPrunable(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return PruningGroups.Find(network, _options).Sum(g => (long)g.UnitCount);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The plan finds the groups of each clone again (a clone has the same groups, unit for unit) and removes units by
    /// the scores taken here. Its warnings name every group of more than one unit whose units all scored the same: the
    /// criterion then cannot tell them apart, and they go by index.
    /// </remarks>
    internal override PruningPlan Prepare(Network network, IBatchSource? calibration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (Importance.RequiresData && calibration is null)
        {
            throw new ArgumentException($"The criterion '{Importance.Name}' reads activations or gradients, so calibration data is required.", nameof(calibration));
        }

        var groups = PruningGroups.Find(network, _options);
        if (groups.Count == 0)
        {
            return new PruningPlan((_, rate, _) => CheckRate(rate), []);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var scores = Importance.Score(network, groups, calibration, cancellationToken);
        CheckScores(groups, scores);
        var names = groups.Select(g => g.Name).ToArray();
        var units = groups.Select(g => g.UnitCount).ToArray();
        return new PruningPlan((copy, rate, token) => Remove(copy, names, units, scores, rate, token), TieWarnings(groups, scores));
    }

    private int Remove(Network network, string[] names, int[] units, IReadOnlyList<float[]> scores, double rate, CancellationToken cancellationToken)
    {
        CheckRate(rate);
        var groups = PruningGroups.Find(network, _options);
        if (groups.Count != names.Length || groups.Where((g, i) => g.Name != names[i] || g.UnitCount != units[i]).Any())
        {
            throw new InvalidOperationException("The network's prunable groups changed since it was scored; score it again.");
        }

        // Groups whose units go in blocks (grouped convolutions) are ranked block by block, on the blocks' mean scores;
        // the rate, MinimumUnits and RoundTo still count units (channels).
        var blockScores = groups.Select((g, i) => UnitBlocks.MeanScores(scores[i], g.BlockSize)).ToArray();
        var removals = UnitSelector.Select(names, blockScores, rate, _options, groups.Select(g => g.BlockSize).ToArray())
            .Select((blocks, i) => UnitBlocks.Expand(blocks, groups[i].BlockSize)).ToArray();
        cancellationToken.ThrowIfCancellationRequested();
        int removed = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            if (removals[g].Length > 0)
            {
                PruningGroups.Remove(network, groups[g], removals[g]);
                removed += removals[g].Length;
            }
        }

        return removed;
    }

    private void CheckScores(IReadOnlyList<PruningGroup> groups, IReadOnlyList<float[]>? scores)
    {
        if (scores is null || scores.Count != groups.Count)
        {
            throw new InvalidOperationException($"The criterion '{Importance.Name}' returned {scores?.Count ?? 0} score arrays for {groups.Count} groups.");
        }

        for (int g = 0; g < groups.Count; g++)
        {
            if (scores[g] is null || scores[g].Length != groups[g].UnitCount)
            {
                throw new InvalidOperationException($"The criterion '{Importance.Name}' returned {scores[g]?.Length ?? 0} scores for group '{groups[g].Name}', which has {groups[g].UnitCount} units.");
            }
        }
    }

    private string[] TieWarnings(IReadOnlyList<PruningGroup> groups, IReadOnlyList<float[]> scores) =>
        groups.Select((group, g) => (group, scores: scores[g]))
            .Where(x => x.scores.Length > 1 && x.scores.All(v => v.Equals(x.scores[0])))
            .Select(x => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The criterion '{Importance.Name}' gave all {x.scores.Length} units of group '{x.group.Name}' the same score ({x.scores[0]}), so it cannot rank them; they are removed by index."))
            .ToArray();

    private static int CheckRate(double rate) =>
        rate is > 0 and <= 1 ? 0 : throw new ArgumentOutOfRangeException(nameof(rate), rate, "rate must be in (0, 1].");
}
