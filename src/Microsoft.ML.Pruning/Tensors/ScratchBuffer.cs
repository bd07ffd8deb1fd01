namespace Microsoft.ML.Pruning.Tensors;

/// <summary>A reusable buffer (typically thread-static) grown on demand.</summary>
internal static class ScratchBuffer
{
    /// <summary>Returns the first <paramref name="length"/> values of <paramref name="buffer"/>, replacing it by a larger one first if it is shorter.</summary>
    /// <param name="buffer">The buffer, allocated or replaced as needed.</param>
    /// <param name="length">The values needed.</param>
    /// <returns>A span over them (not cleared).</returns>
    public static Span<float> Get(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer = new float[length];
        }

        return buffer.AsSpan(0, length);
    }
}
