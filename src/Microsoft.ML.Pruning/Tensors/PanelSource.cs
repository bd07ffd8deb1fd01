namespace Microsoft.ML.Pruning.Tensors;

/// <summary>
/// Supplies the packed panels of a GEMM's B operand without B being stored: <see cref="Pack"/> writes what
/// <c>Gemm.PackB</c> would write from a stored op(B) (k×n, row-major): for each depth step p of
/// [<c>p0</c>, p0 + depth), the values of columns [<c>j0</c>, j0 + columns) one after another, zero-padded to
/// <c>nr</c> columns, <c>nr</c> values per depth step. Called concurrently by the GEMM's threads on disjoint panels.
/// </summary>
internal abstract class PanelSource
{
    /// <summary>Packs one panel.</summary>
    /// <param name="p0">The first depth step.</param>
    /// <param name="depth">The depth steps.</param>
    /// <param name="j0">The first column.</param>
    /// <param name="columns">The columns, at most <paramref name="nr"/>.</param>
    /// <param name="packed">The panel, <paramref name="nr"/> · <paramref name="depth"/> values.</param>
    /// <param name="nr">The panel width.</param>
    public abstract unsafe void Pack(int p0, int depth, int j0, int columns, float* packed, int nr);
}
