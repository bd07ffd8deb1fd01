namespace Microsoft.ML.Pruning.Structure;

/// <summary>Turns unit scores into scores of aligned blocks of units, and chosen blocks back into units (see <see cref="PruningGroup.BlockSize"/>).</summary>
internal static class UnitBlocks
{
    /// <summary>Returns the mean score of each block of <paramref name="size"/> consecutive units.</summary>
    /// <param name="scores">One score per unit; the count is a multiple of <paramref name="size"/>.</param>
    /// <param name="size">The block size (1 returns <paramref name="scores"/> itself).</param>
    /// <returns>One score per block.</returns>
    public static float[] MeanScores(float[] scores, int size)
    {
        if (size == 1)
        {
            return scores;
        }

        var means = new float[scores.Length / size];
        for (int block = 0; block < means.Length; block++)
        {
            double sum = 0;
            for (int i = 0; i < size; i++)
            {
                sum += scores[(block * size) + i];
            }

            means[block] = (float)(sum / size);
        }

        return means;
    }

    /// <summary>Expands blocks to the units they hold.</summary>
    /// <param name="blocks">The blocks, ascending.</param>
    /// <param name="size">The block size.</param>
    /// <returns>The units, ascending.</returns>
    public static int[] Expand(int[] blocks, int size) =>
        size == 1 ? blocks : blocks.SelectMany(block => Enumerable.Range(block * size, size)).ToArray();
}
