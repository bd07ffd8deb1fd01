using Microsoft.ML.Data;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// The image shape a feature column states: ML.NET's <c>ExtractPixels</c> gives its vector the dimensions
/// [channels, height, width] (planar, its default) or [height, width, channels] (interleaved).
/// </summary>
internal static class ImageColumnShape
{
    /// <summary>Returns the column's dimensions when it has three, else <see langword="null"/>.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="column">The feature column's name.</param>
    /// <returns>The dimensions, or <see langword="null"/> for a flat vector or a missing column.</returns>
    public static int[]? Of(DataViewSchema schema, string column) =>
        schema.GetColumnOrNull(column)?.Type is VectorDataViewType { Dimensions.Length: 3 } vector && vector.IsKnownSize ? [.. vector.Dimensions] : null;

    /// <summary>
    /// Returns the shape the network reads the column in: the stated shape, else the column's own dimensions when they
    /// are images [channels, height, width] of the network's channels, else <see langword="null"/> (the network's own).
    /// </summary>
    /// <param name="schema">The schema.</param>
    /// <param name="column">The feature column's name.</param>
    /// <param name="stated">The shape the options state, or <see langword="null"/>.</param>
    /// <param name="networkShape">The network's input shape.</param>
    /// <returns>The shape to adapt the network to, or <see langword="null"/> to keep its own.</returns>
    /// <exception cref="ArgumentException">The column's dimensions differ from the stated shape, or hold interleaved pixels; the message names the column and the shapes.</exception>
    public static int[]? Resolve(DataViewSchema schema, string column, IReadOnlyList<int>? stated, int[] networkShape)
    {
        var dimensions = Of(schema, column);
        if (networkShape.Length != 3)
        {
            return stated?.ToArray();
        }

        int channels = networkShape[0];
        if (dimensions is [int h, int w, int c] && c == channels && h != channels)
        {
            throw new ArgumentException($"Column '{column}' holds interleaved pixels {FloatTensor.FormatShape(dimensions)} (height, width, channels); the network reads planar images [channels, height, width]: extract them with ExtractPixels' default interleavePixelColors: false.", "input");
        }

        if (stated is not null)
        {
            if (dimensions is not null && !dimensions.SequenceEqual(stated))
            {
                throw new ArgumentException($"Column '{column}' holds images of {FloatTensor.FormatShape(dimensions)} but InputShape states {FloatTensor.FormatShape([.. stated])}: resize the images to the stated size, or change InputShape.", "input");
            }

            return [.. stated];
        }

        return dimensions is [int planes, _, _] && planes == channels && !dimensions.SequenceEqual(networkShape) ? dimensions : null;
    }
}
