using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Pruning;

/// <summary>
/// Structural pruning with any criterion: finds the prunable groups, scores their units with an <see cref="IImportance"/>,
/// chooses the lowest-scoring units under the rate and the options, and removes them from the network.
/// </summary>
/// <remarks>
/// Removal follows 003 (filters go with the next layer's input channels and the BatchNorm channels between them) and
/// Torch-Pruning's dependency groups (residual Adds couple layers); see <see cref="PruningGroups"/>. The network's
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
    public override int Apply(Network network, double rate, Dataset? calibration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(rate is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "rate must be in (0, 1].");
        }

        if (Importance.RequiresData && calibration is null)
        {
            throw new ArgumentException($"The criterion '{Importance.Name}' reads activations or gradients, so calibration data is required.", nameof(calibration));
        }

        var groups = PruningGroups.Find(network, _options);
        if (groups.Count == 0)
        {
            return 0;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var scores = Importance.Score(network, groups, calibration, cancellationToken);
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

        // Groups whose units go in blocks (grouped convolutions) are ranked block by block, on the blocks' mean scores.
        var blockScores = groups.Select((g, i) => UnitBlocks.MeanScores(scores[i], g.BlockSize)).ToArray();
        var removals = UnitSelector.Select(groups.Select(g => g.Name).ToArray(), blockScores, rate, _options)
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
}
