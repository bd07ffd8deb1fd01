using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Cli;

/// <summary>Parses and checks <c>--layers</c> against the model, before any training.</summary>
internal static class LayerNames
{
    public static IReadOnlyList<string>? Parse(string? text) =>
        text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } names ? names : null;

    /// <summary>Throws a <see cref="UserException"/> naming the first layer that is not a prunable layer of the network.</summary>
    public static void Check(Network network, IReadOnlyList<string>? names, bool structured)
    {
        if (names is null)
        {
            return;
        }

        var prunable = structured
            ? PruningGroup.Find(network).SelectMany(g => g.Producers).Select(p => p.Layer.Name).Distinct().ToArray()
            : network.Nodes.Where(n => n.Layer is Dense or Conv2d).Select(n => n.Layer.Name).ToArray();
        foreach (string name in names)
        {
            if (!prunable.Contains(name))
            {
                string what = network.Nodes.Any(n => n.Layer.Name == name) ? "is not a layer that can be pruned" : "is not a layer of the model";
                throw new UserException($"--layers: '{name}' {what}; the prunable layers are {string.Join(", ", prunable)} (see 'mlprune info').");
            }
        }
    }
}
