using Microsoft.ML.Data;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Writes one row's scores into an ML.NET vector, reusing its buffer.</summary>
internal static class RowScores
{
    public static void Write(ReadOnlySpan<float> scores, ref VBuffer<float> value)
    {
        var editor = VBufferEditor.Create(ref value, scores.Length);
        scores.CopyTo(editor.Values);
        value = editor.Commit();
    }
}
