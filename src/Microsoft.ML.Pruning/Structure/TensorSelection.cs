using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Structure;

/// <summary>Copies the kept slices of a tensor along one axis.</summary>
internal static class TensorSelection
{
    /// <summary>Returns a new tensor holding the slices <paramref name="keep"/> of <paramref name="source"/> along <paramref name="axis"/>, in order.</summary>
    /// <param name="source">The tensor.</param>
    /// <param name="axis">The axis.</param>
    /// <param name="keep">The indices to keep along the axis, each in range.</param>
    /// <returns>The smaller tensor.</returns>
    public static FloatTensor KeepAlong(FloatTensor source, int axis, int[] keep)
    {
        var shape = (int[])source.Shape.Clone();
        int outer = 1, inner = 1, size = shape[axis];
        for (int i = 0; i < axis; i++)
        {
            outer *= shape[i];
        }

        for (int i = axis + 1; i < shape.Length; i++)
        {
            inner *= shape[i];
        }

        shape[axis] = keep.Length;
        var result = new FloatTensor(shape);
        var from = source.Span;
        var to = result.Span;
        int offset = 0;
        for (int o = 0; o < outer; o++)
        {
            foreach (int k in keep)
            {
                from.Slice(((o * size) + k) * inner, inner).CopyTo(to.Slice(offset, inner));
                offset += inner;
            }
        }

        return result;
    }
}
