using Microsoft.ML.Pruning.Data;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// What one pass over the label column of an <see cref="IDataView"/> learns before a streaming stage starts: which rows
/// have a label (one bit a row), how many rows there are, and whether the view can be read in a seeded random order
/// whose row ids are the rows' numbers (ML.NET's cache from <c>AppendCacheCheckpoint</c>, or a view over memory).
/// </summary>
/// <param name="Labelled">The rows with a label, among all the view's rows.</param>
/// <param name="RandomAccess">Whether a shuffled cursor gives a permutation of the rows whose ids are their numbers.</param>
/// <param name="GroupedByClass">
/// Whether the labelled rows come grouped by class: a row's class repeats the row before it's more than halfway from
/// what rows in random order would give (the sum of the squared class shares) to always. A bounded shuffle cannot mix
/// such rows.
/// </param>
internal sealed record DataViewRowIndex(RowSet Labelled, bool RandomAccess, bool GroupedByClass)
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
        var perClass = new long[columns.ClassCount];
        long repeats = 0, previous = -1;
        using var cursor = data.GetRowCursor([data.Schema[columns.Label!]]);
        var getters = new DataViewRowGetters(cursor, columns, readFeatures: false, readIds: shuffles);
        for (long row = 0; cursor.MoveNext(); row++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long label = getters.Label(row);
            labelled.Add(label >= 0);
            if (label >= 0)
            {
                perClass[label]++;
                repeats += label == previous ? 1 : 0;
                previous = label;
            }

            // A shuffled cursor names its rows by id only: it is usable when the ids are the rows' numbers.
            shuffles = shuffles && getters.Id() == row;
        }

        var rows = labelled.Build();
        double expected = rows.Count == 0 ? 1 : perClass.Sum(c => (double)c / rows.Count * c / rows.Count);
        bool grouped = rows.Count > 1 && (double)repeats / (rows.Count - 1) > expected + ((1 - expected) / 2);
        return new DataViewRowIndex(rows, shuffles, grouped);
    }
}
