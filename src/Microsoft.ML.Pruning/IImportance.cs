using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning;

/// <summary>A pruning criterion: given prunable groups, one score per unit. Higher scores mean more important units.</summary>
public interface IImportance
{
    /// <summary>Gets the criterion's name, as reports show it (for example <c>APoZ</c>).</summary>
    string Name { get; }

    /// <summary>Gets whether <see cref="Score"/> reads data (activation- or gradient-based criteria) or only weights.</summary>
    bool RequiresData { get; }

    /// <summary>Scores every unit of every group.</summary>
    /// <param name="network">The network the groups belong to; it is not modified (its parameters keep their values).</param>
    /// <param name="groups">The groups to score.</param>
    /// <param name="data">Calibration data, required when <see cref="RequiresData"/> is <see langword="true"/>.</param>
    /// <param name="cancellationToken">Cancels the scoring.</param>
    /// <returns>For each group, in order, an array of <see cref="PruningGroup.UnitCount"/> scores; higher is more important.</returns>
    IReadOnlyList<float[]> Score(Network network, IReadOnlyList<PruningGroup> groups, IBatchSource? data, CancellationToken cancellationToken = default);
}
