namespace Microsoft.ML.Pruning.Structure;

/// <summary>
/// One run of a layer output's channel (or feature) axis that holds the units of one unit space, in order: a plain
/// output is one segment, a Concat's output one per input.
/// </summary>
/// <param name="Space">The unit space (an index into <see cref="UnitSpaces"/>).</param>
/// <param name="Block">How many consecutive entries of the axis each unit covers (1, or a plane after a Flatten).</param>
/// <param name="Width">How many entries of the axis the segment covers: its units times <paramref name="Block"/>.</param>
/// <param name="First">The space's first unit the segment holds (0, or more after a channel slice took a later range).</param>
internal readonly record struct ViewSegment(int Space, int Block, int Width, int First = 0)
{
    /// <summary>Gets the number of the space's units the segment holds.</summary>
    public int Units => Width / Block;
}
