using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Pruning.Tensors;

/// <summary>Matrix transposes between a plane-major [channels, positions] and a channel-last [positions, channels] layout.</summary>
internal static class Transposition
{
    /// <summary>
    /// Writes target[j · <paramref name="targetStride"/> + i] = source[i · <paramref name="sourceStride"/> + j] for
    /// i &lt; <paramref name="rows"/> and j &lt; <paramref name="columns"/>; 8x8 blocks go through AVX registers where available.
    /// </summary>
    public static unsafe void Transpose(ReadOnlySpan<float> source, int rows, int columns, int sourceStride, Span<float> target, int targetStride)
    {
        if (rows == 0 || columns == 0)
        {
            return;
        }

        _ = source[((rows - 1) * sourceStride) + columns - 1];
        _ = target[((columns - 1) * targetStride) + rows - 1];
        fixed (float* s = &MemoryMarshal.GetReference(source), t = &MemoryMarshal.GetReference(target))
        {
            int i = 0;
            if (Avx.IsSupported)
            {
                for (; i + 8 <= rows; i += 8)
                {
                    int j = 0;
                    for (; j + 8 <= columns; j += 8)
                    {
                        Gemm.PackEightColumnsTransposed(s + ((nint)i * sourceStride) + j, sourceStride, t + ((nint)j * targetStride) + i, targetStride);
                    }

                    Scalar(s, t, i, i + 8, j, columns, sourceStride, targetStride);
                }
            }

            Scalar(s, t, i, rows, 0, columns, sourceStride, targetStride);
        }
    }

    private static unsafe void Scalar(float* s, float* t, int rowStart, int rowEnd, int columnStart, int columnEnd, int sourceStride, int targetStride)
    {
        for (int i = rowStart; i < rowEnd; i++)
        {
            for (int j = columnStart; j < columnEnd; j++)
            {
                t[((nint)j * targetStride) + i] = s[((nint)i * sourceStride) + j];
            }
        }
    }
}
