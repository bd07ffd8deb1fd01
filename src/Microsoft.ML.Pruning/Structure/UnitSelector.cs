namespace Microsoft.ML.Pruning.Structure;

/// <summary>Turns unit scores and a rate into the units to remove from each group, under <see cref="StructuredPruningOptions"/>.</summary>
/// <remarks>
/// <list type="number">
/// <item><description>
/// Candidates: every unit, or with <see cref="StructuredPruningOptions.ScoreThreshold"/> only the units scoring below
/// it. They are ranked by score, lowest first; ties go to the higher unit index first (and, across groups, to the later group first).
/// </description></item>
/// <item><description>
/// <see cref="RankingScope.PerLayer"/>: each group loses its first floor(rate · units) candidates.
/// <see cref="RankingScope.Global"/>: the first floor(rate · all units) candidates of all groups ranked together go;
/// a group that has come down to <see cref="StructuredPruningOptions.MinimumUnits"/> (rounded up to a multiple of
/// <see cref="StructuredPruningOptions.RoundTo"/>) is passed over, so the rest of the budget goes to the next candidates
/// of the other groups. A product within 1e-9 of an integer counts as that integer, so 0.29 · 100 is 29.
/// </description></item>
/// <item><description>
/// Then per group the number kept is raised to at least <see cref="StructuredPruningOptions.MinimumUnits"/> and rounded
/// up to a multiple of <see cref="StructuredPruningOptions.RoundTo"/>, never above the group's size; the group gives back
/// its highest-ranked choices first. What rounding gives back is not moved to other groups.
/// </description></item>
/// <item><description>
/// A group whose units go in blocks (<see cref="PruningGroup.BlockSize"/>, a grouped convolution's groups) is ranked
/// block by block, and counts in units all the same: a block of 4 is 4 units of the rate's share and of the global
/// budget, <see cref="StructuredPruningOptions.MinimumUnits"/> and <see cref="StructuredPruningOptions.RoundTo"/> count
/// units (channels), and the units kept are a multiple of the block size too. Under global ranking a block that would
/// take more units than the budget has left is passed over, like a group at its floor.
/// </description></item>
/// </list>
/// </remarks>
internal static class UnitSelector
{
    private const double Slack = 1e-9;

    /// <summary>Chooses the units to remove.</summary>
    /// <param name="groupNames">The groups' names, for messages.</param>
    /// <param name="scores">One array per group, one score per unit (or per block); higher is more important.</param>
    /// <param name="rate">The fraction of units to remove, in [0, 1].</param>
    /// <param name="options">The ranking scope, threshold, minimum and rounding.</param>
    /// <param name="blockSizes">Per group, the units in each scored block, or <see langword="null"/> when every score is one unit's.</param>
    /// <returns>Per group, the units (or blocks) to remove, ascending.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The rate is outside [0, 1].</exception>
    /// <exception cref="ArgumentException">The lists differ in length, or a score is NaN; the message names the group and unit.</exception>
    public static int[][] Select(IReadOnlyList<string> groupNames, IReadOnlyList<float[]> scores, double rate, StructuredPruningOptions options, IReadOnlyList<int>? blockSizes = null)
    {
        ArgumentNullException.ThrowIfNull(groupNames);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(options);
        if (!(rate is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "rate must be in [0, 1].");
        }

        if (groupNames.Count != scores.Count)
        {
            throw new ArgumentException($"{scores.Count} score arrays for {groupNames.Count} groups.", nameof(scores));
        }

        var sizes = blockSizes ?? scores.Select(_ => 1).ToArray();

        var candidates = new List<(int Group, int Unit, float Score)>();
        for (int g = 0; g < scores.Count; g++)
        {
            for (int u = 0; u < scores[g].Length; u++)
            {
                float score = scores[g][u];
                if (float.IsNaN(score))
                {
                    throw new ArgumentException($"Group '{groupNames[g]}': the score of unit {u} is NaN.", nameof(scores));
                }

                if (options.ScoreThreshold is not { } threshold || score < threshold)
                {
                    candidates.Add((g, u, score));
                }
            }
        }

        candidates.Sort((a, b) => a.Score != b.Score ? a.Score.CompareTo(b.Score) : a.Group != b.Group ? b.Group.CompareTo(a.Group) : b.Unit.CompareTo(a.Unit));
        var chosen = scores.Select(_ => new List<int>()).ToArray();
        if (options.Ranking == RankingScope.Global)
        {
            // A group at its floor passes its turn to the next candidate, so the budget goes elsewhere instead of lapsing.
            int budget = Fraction(rate, scores.Select((s, g) => s.Length * sizes[g]).Sum()), taken = 0;
            var removable = scores.Select((s, g) => s.Length - KeptBlocks(s.Length, s.Length, sizes[g], options)).ToArray();
            foreach (var (group, unit, _) in candidates)
            {
                if (taken >= budget)
                {
                    break;
                }

                if (chosen[group].Count < removable[group] && taken + sizes[group] <= budget)
                {
                    chosen[group].Add(unit);
                    taken += sizes[group];
                }
            }
        }
        else
        {
            foreach (var (group, unit, _) in candidates)
            {
                if (chosen[group].Count < Fraction(rate, scores[group].Length * sizes[group]) / sizes[group])
                {
                    chosen[group].Add(unit);
                }
            }
        }

        var result = new int[scores.Count][];
        for (int g = 0; g < scores.Count; g++)
        {
            int count = scores[g].Length;
            result[g] = chosen[g].Take(Math.Max(0, count - KeptBlocks(count, chosen[g].Count, sizes[g], options))).Order().ToArray();
        }

        return result;
    }

    /// <summary>
    /// The blocks a group of <paramref name="count"/> blocks of <paramref name="size"/> units keeps when
    /// <paramref name="chosen"/> are chosen: in units, at least the minimum, rounded up to a multiple of the rounding
    /// and of the block size, never more than the group.
    /// </summary>
    private static int KeptBlocks(int count, int chosen, int size, StructuredPruningOptions options)
    {
        long units = (long)count * size;
        long kept = Math.Max((long)(count - chosen) * size, options.MinimumUnits);
        long multiple = (long)options.RoundTo * size / (long)System.Numerics.BigInteger.GreatestCommonDivisor(options.RoundTo, size);
        return (int)(Math.Min(units, (kept + multiple - 1) / multiple * multiple) / size);
    }

    private static int Fraction(double rate, int count) => (int)Math.Floor((rate * count) + Slack);
}
