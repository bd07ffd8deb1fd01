using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Structure;

namespace Microsoft.ML.Pruning.Workflow;

/// <summary>Keeps structural pruning away from the layers a run keeps frozen.</summary>
internal static class FrozenLayerGroups
{
    /// <summary>
    /// Returns a method that prunes only groups with no frozen producer, and the groups it leaves whole with the reason;
    /// the method itself when nothing is frozen or it does not remove units structurally.
    /// </summary>
    /// <param name="network">The network about to be pruned.</param>
    /// <param name="method">The stage's method.</param>
    /// <param name="frozen">The frozen layers' names.</param>
    /// <returns>The method to run and the groups it leaves whole.</returns>
    public static (PruningMethod Method, IReadOnlyList<SkippedGroup> Skipped) LeaveAlone(Network network, PruningMethod method, IReadOnlyCollection<string> frozen)
    {
        if (frozen.Count == 0 || method is not StructuredPruning structured)
        {
            return (method, []);
        }

        var options = structured.Options;
        var groups = PruningGroups.Find(network, options);
        var set = frozen.ToHashSet(StringComparer.Ordinal);
        var kept = groups.Where(g => !g.Producers.Any(p => set.Contains(p.Layer.Name))).ToList();
        if (kept.Count == groups.Count)
        {
            return (method, []);
        }

        var skipped = groups.Except(kept).Select(g => new SkippedGroup(g.Name, g.UnitCount,
            $"its producer '{g.Producers.First(p => set.Contains(p.Layer.Name)).Layer.Name}' is frozen (set PruneFrozenLayers to prune frozen layers)")).ToArray();
        var narrowed = new StructuredPruningOptions
        {
            Layers = kept.Select(g => g.Producers[0].Layer.Name).ToArray(),
            IncludeFirstLayer = true,
            Ranking = options.Ranking,
            MinimumUnits = options.MinimumUnits,
            RoundTo = options.RoundTo,
            ScoreThreshold = options.ScoreThreshold,
        };
        return (new StructuredPruning(structured.Importance, narrowed), skipped);
    }
}
