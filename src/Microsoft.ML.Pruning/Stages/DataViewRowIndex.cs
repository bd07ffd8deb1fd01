using Microsoft.ML.Pruning.Data;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// What one pass over the label column of an <see cref="IDataView"/> learns before a streaming stage starts: which rows
/// have a label (one bit a row), how many rows there are, and whether the view can be read in a seeded random order
/// whose row ids are the rows' numbers (ML.NET's cache from <c>AppendCacheCheckpoint</c>, or a view over memory).
/// </summary>
/// <param name="Labelled">The rows with a label, among all the view's rows.</param>
/// <param name="RandomAccess">Whether a shuffled cursor gives a permutation of the rows whose ids are their numbers.</param>
internal sealed record DataViewRowIndex(RowSet Labelled, bool RandomAccess)
{
    /// <summary>Reads the label column once.</summary>
    /// <param name="data">The data.</param>
    /// <param name="columns">The checked columns.</param>
    /// <param name="cancellationToken">Checked between rows.</param>
    /// <returns>The index.</returns>
    /// <exception cref="DataRowException">A label is outside the model's classes.</exception>
    public static DataViewRowIndex Build(IDataView data, StageColumns columns, CancellationToken cancellationToken)
    {
        bool shuffles = data.CanShuffle;
        var labelled = new RowSet.Builder();
        using var cursor = data.GetRowCursor([data.Schema[columns.Label!]]);
        var getters = new DataViewRowGetters(cursor, columns, readFeatures: false, readIds: shuffles);
        for (long row = 0; cursor.MoveNext(); row++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            labelled.Add(getters.Label(row) >= 0);
            // A shuffled cursor names its rows by id only: it is usable when the ids are the rows' numbers.
            shuffles = shuffles && getters.Id() == row;
        }

        return new DataViewRowIndex(labelled.Build(), shuffles);
    }
}
