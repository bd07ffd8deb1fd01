using System.Globalization;
using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// Maps an <see cref="IDataView"/>'s feature and label columns to the engine's batches: data up to a memory limit are
/// read once into a <see cref="Dataset"/> (one copy, sized before it is filled); larger data become a
/// <see cref="DataViewBatchSource"/> that streams them batch by batch through cursors at every pass.
/// </summary>
internal static class DataViewReader
{
    /// <summary>Returns the labelled rows of <paramref name="data"/> as a batch source: in memory when they fit <paramref name="memoryLimit"/>, streamed otherwise.</summary>
    /// <param name="data">The data.</param>
    /// <param name="columns">The checked columns.</param>
    /// <param name="sampleShape">The model's input shape (each feature vector is read in this shape).</param>
    /// <param name="memoryLimit">The most bytes of features (as floats) read into memory; 0 always streams.</param>
    /// <param name="log">Receives a warning when streamed rows come grouped by class and the view cannot be shuffled in full.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>A <see cref="Dataset"/>, or a streaming source; rows whose key label is missing are left out.</returns>
    /// <exception cref="ArgumentException">The data has no labelled rows.</exception>
    /// <exception cref="DataRowException">A row does not fit the model (the message names the column and the row).</exception>
    public static IBatchSource Open(IDataView data, StageColumns columns, int[] sampleShape, long memoryLimit, IProgress<string>? log = null, CancellationToken cancellationToken = default)
    {
        long rowBytes = (long)columns.FeatureCount * sizeof(float);
        long limitRows = Math.Min(memoryLimit / rowBytes, Array.MaxLength / columns.FeatureCount);
        if (data.GetRowCount() is { } known && known <= limitRows)
        {
            return Read(data, columns, sampleShape, (int)known, cancellationToken);
        }

        var index = DataViewRowIndex.Build(data, columns, cancellationToken);
        if (index.Labelled.Count == 0)
        {
            throw NoRows(columns.Label!);
        }

        if (index.Labelled.Count <= limitRows)
        {
            return Read(data, columns, sampleShape, (int)index.Labelled.Count, cancellationToken);
        }

        int shuffleRows = DataViewBatchSource.ShuffleRowsFor(memoryLimit, rowBytes);
        if (index.GroupedByClass && !index.RandomAccess && shuffleRows < index.Labelled.Count)
        {
            log?.Report(string.Create(CultureInfo.InvariantCulture,
                $"the {index.Labelled.Count} rows come grouped by class, and they are streamed through a shuffle buffer of {shuffleRows} row{(shuffleRows == 1 ? "" : "s")}, which cannot mix them: batches will hold few classes and accuracy will suffer. Put AppendCacheCheckpoint before the stage (the rows are then shuffled in full), raise DataMemoryLimit, or shuffle the file once."));
        }

        return new DataViewBatchSource(data, columns, sampleShape, index, shuffleRows);
    }

    /// <summary>Reads every labelled row into a data set of the model's sample shape, in one pass into features sized for <paramref name="capacity"/> rows.</summary>
    /// <param name="data">The data.</param>
    /// <param name="columns">The checked columns.</param>
    /// <param name="sampleShape">The model's input shape.</param>
    /// <param name="capacity">The most labelled rows (the data's row count, when known).</param>
    /// <param name="cancellationToken">Checked between rows.</param>
    /// <returns>The data set.</returns>
    /// <exception cref="ArgumentException">The data has no labelled rows.</exception>
    /// <exception cref="DataRowException">A row does not fit the model, or the data have more rows than they said.</exception>
    public static Dataset Read(IDataView data, StageColumns columns, int[] sampleShape, int capacity, CancellationToken cancellationToken = default)
    {
        var features = new FloatTensor([capacity, .. sampleShape]);
        var labels = new int[capacity];
        int width = columns.FeatureCount, filled = 0;
        using (var cursor = data.GetRowCursor([data.Schema[columns.Features], data.Schema[columns.Label!]]))
        {
            var getters = new DataViewRowGetters(cursor, columns, readFeatures: true, readIds: false);
            long row = 0;
            for (; cursor.MoveNext(); row++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long label = getters.Label(row);
                if (label < 0)
                {
                    continue;
                }

                if (filled == capacity)
                {
                    throw Changed(row, string.Create(CultureInfo.InvariantCulture, $"the data have more labelled rows than the {capacity} they said they had."));
                }

                getters.Features(features.Span.Slice(filled * width, width), row);
                labels[filled++] = (int)label;
            }
        }

        if (filled == 0)
        {
            throw NoRows(columns.Label!);
        }

        if (filled < capacity)
        {
            features.Resize([filled, .. sampleShape]);
            labels = labels[..filled];
        }

        return new Dataset(features, labels, columns.ClassCount, columns.ClassValues?.Names);
    }

    /// <summary>Throws the "no rows" error of <see cref="Open"/> when the data have no rows at all.</summary>
    /// <param name="data">The data.</param>
    /// <exception cref="ArgumentException">The data have no rows.</exception>
    public static void EnsureRows(IDataView data)
    {
        long? count = data.GetRowCount();
        if (count is null)
        {
            using var cursor = data.GetRowCursor([]);
            count = cursor.MoveNext() ? 1 : 0;
        }

        if (count == 0)
        {
            throw new ArgumentException("The data are empty (no rows): a stage needs at least 2 labelled rows to fit. Check the file or the filter that feeds the pipeline.", "input");
        }
    }

    /// <summary>The error for data whose rows changed between two passes (a file edited during the fit).</summary>
    /// <param name="row">The row where the change showed.</param>
    /// <param name="what">What changed, as a clause.</param>
    /// <returns>The exception.</returns>
    public static DataRowException Changed(long row, string what) =>
        new(null, row, $"{what} The data changed while the stage was reading it (for example a file edited during the fit); every pass must see the same rows.");

    private static ArgumentException NoRows(string label) =>
        new($"The data has no rows with a '{label}' value (every label is missing): a stage needs at least 2 labelled rows to fit.", "input");
}
