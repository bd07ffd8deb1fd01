using Microsoft.ML.Data;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>One row's scores as ML.NET columns: the <c>Score</c> vector and the <c>PredictedLabel</c> key.</summary>
internal static class RowScores
{
    /// <summary>Writes the scores into an ML.NET vector, reusing its buffer.</summary>
    public static void Write(ReadOnlySpan<float> scores, ref VBuffer<float> value)
    {
        var editor = VBufferEditor.Create(ref value, scores.Length);
        scores.CopyTo(editor.Values);
        value = editor.Commit();
    }

    /// <summary>
    /// Returns the predicted key: the 1-based index of the highest score (the first on ties), or the missing key 0 when a
    /// score is not finite (a NaN or infinite feature), as ML.NET's own trainers give it; never a class picked by NaN.
    /// </summary>
    public static uint PredictedKey(ReadOnlySpan<float> scores) => PredictedIndex(scores) is { } index ? (uint)index + 1 : 0;

    /// <summary>Returns the 0-based index of the highest score, or <see langword="null"/> when a score is not finite.</summary>
    public static int? PredictedIndex(ReadOnlySpan<float> scores)
    {
        foreach (float score in scores)
        {
            if (!float.IsFinite(score))
            {
                return null;
            }
        }

        return NetworkScorer.ArgMax(scores);
    }
}
