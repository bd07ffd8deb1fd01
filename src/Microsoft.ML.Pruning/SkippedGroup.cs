namespace Microsoft.ML.Pruning;

/// <summary>A set of coupled units that structural pruning leaves alone, with the reason.</summary>
/// <param name="Name">The producers' layer names joined by <c>+</c>, as a <see cref="PruningGroup"/> would be named.</param>
/// <param name="Units">The number of units.</param>
/// <param name="Reason">Why the units cannot be removed, worded to follow the name (for example "its units are the network's output").</param>
public sealed record SkippedGroup(string Name, int Units, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Units} units): {Reason}";
}
