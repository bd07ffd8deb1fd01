using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Tests.Structure;

/// <summary>A criterion for tests: returns the scores a function gives for each group, and counts its calls.</summary>
/// <param name="score">The scores of one group.</param>
/// <param name="requiresData">What <see cref="RequiresData"/> answers.</param>
internal sealed class ScriptedImportance(Func<PruningGroup, float[]> score, bool requiresData = false) : IImportance
{
    public string Name => "scripted";

    public bool RequiresData => requiresData;

    /// <summary>Gets the number of calls to <see cref="Score"/>.</summary>
    public int Calls { get; private set; }

    /// <summary>Creates a criterion that returns fixed scores per group name.</summary>
    public static ScriptedImportance Fixed(IReadOnlyDictionary<string, float[]> scores) => new(group => scores[group.Name]);

    public IReadOnlyList<float[]> Score(Network network, IReadOnlyList<PruningGroup> groups, IBatchSource? data, CancellationToken cancellationToken = default)
    {
        Calls++;
        return groups.Select(score).ToArray();
    }
}
