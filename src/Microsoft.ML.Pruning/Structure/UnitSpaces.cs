using Microsoft.ML.Pruning.Networks;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>
/// The union-find over "unit spaces" that <see cref="DependencyGraph"/> builds: each producer's output starts a space,
/// joins merge spaces, and each space collects the layers its units touch and why it cannot be pruned.
/// </summary>
internal sealed class UnitSpaces
{
    private readonly List<int> _parent = [];
    private readonly List<UnitSpace> _spaces = [];

    /// <summary>Gets how many spaces were created (merged ones included).</summary>
    public int Count => _spaces.Count;

    /// <summary>Gets the state of a space's root.</summary>
    /// <param name="space">Any space.</param>
    public UnitSpace this[int space] => _spaces[Find(space)];

    /// <summary>Returns whether a space is the root of its set.</summary>
    /// <param name="space">The space.</param>
    /// <returns><see langword="true"/> for a root.</returns>
    public bool IsRoot(int space) => _parent[space] == space;

    /// <summary>Creates a space.</summary>
    /// <param name="origin">What a space without producers holds (the network's input, an opaque layer's output), or <see langword="null"/>.</param>
    /// <param name="units">How many units the space holds.</param>
    /// <returns>The new space.</returns>
    public int New(string? origin, int units)
    {
        _parent.Add(_spaces.Count);
        _spaces.Add(new UnitSpace { Origin = origin, Units = units });
        return _spaces.Count - 1;
    }

    /// <summary>Records a layer touched by a space's units.</summary>
    /// <param name="space">The space.</param>
    /// <param name="member">The layer and its role.</param>
    public void AddMember(int space, CouplingMember member)
    {
        var root = this[space];
        root.Members.Add(member);
        root.HasProducer |= member.Role == CouplingRole.Producer;
    }

    /// <summary>Marks a space unprunable, keeping the first reason given.</summary>
    /// <param name="space">The space.</param>
    /// <param name="reason">Why, worded to follow the group's name.</param>
    public void Block(int space, string reason) => this[space].Blocker ??= reason;

    /// <summary>Requires a space's units to be removed in aligned runs of <paramref name="size"/> (with any earlier requirement).</summary>
    /// <param name="space">The space.</param>
    /// <param name="size">The run length.</param>
    public void RequireRuns(int space, int size)
    {
        var root = this[space];
        root.Granularity = LeastCommonMultiple(root.Granularity, size);
    }

    /// <summary>Finds the root of a space.</summary>
    /// <param name="space">The space.</param>
    /// <returns>The root.</returns>
    public int Find(int space)
    {
        while (_parent[space] != space)
        {
            _parent[space] = _parent[_parent[space]];
            space = _parent[space];
        }

        return space;
    }

    /// <summary>Merges two spaces; the older root stays the root and takes the other's members.</summary>
    /// <param name="a">One space.</param>
    /// <param name="b">The other.</param>
    /// <returns>The merged root.</returns>
    public int Union(int a, int b)
    {
        int rootA = Find(a), rootB = Find(b);
        if (rootA == rootB)
        {
            return rootA;
        }

        if (rootB < rootA)
        {
            (rootA, rootB) = (rootB, rootA);
        }

        var keep = _spaces[rootA];
        var merged = _spaces[rootB];
        _parent[rootB] = rootA;
        keep.Members.AddRange(merged.Members);
        keep.Joins.AddRange(merged.Joins);
        keep.HasProducer |= merged.HasProducer;
        keep.Blocker ??= merged.Blocker;
        keep.Origin ??= merged.Origin;
        keep.Granularity = LeastCommonMultiple(keep.Granularity, merged.Granularity);
        return rootA;
    }

    private static int LeastCommonMultiple(int a, int b)
    {
        int x = a, y = b;
        while (y != 0)
        {
            (x, y) = (y, x % y);
        }

        return a / x * b;
    }
}

/// <summary>The state of one unit space of <see cref="UnitSpaces"/>.</summary>
internal sealed class UnitSpace
{
    /// <summary>Gets the layers the units touch.</summary>
    public List<CouplingMember> Members { get; } = [];

    /// <summary>Gets the joining layers (Add, Multiply) where the units meet.</summary>
    public List<NetworkNode> Joins { get; } = [];

    /// <summary>Gets or sets whether a layer produces the units.</summary>
    public bool HasProducer { get; set; }

    /// <summary>Gets or sets why the units cannot be removed, or <see langword="null"/>.</summary>
    public string? Blocker { get; set; }

    /// <summary>Gets or sets what a space without producers holds, or <see langword="null"/>.</summary>
    public string? Origin { get; set; }

    /// <summary>Gets or sets how many units the space holds.</summary>
    public int Units { get; set; }

    /// <summary>Gets or sets the run length in which units must be removed (1: one by one).</summary>
    public int Granularity { get; set; } = 1;
}
