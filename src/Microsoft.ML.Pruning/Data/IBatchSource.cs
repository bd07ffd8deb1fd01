namespace Microsoft.ML.Pruning.Data;

/// <summary>
/// Labelled classification rows that the trainer, the evaluator, the pruning criteria and the pruning loop read in
/// batches: the in-memory <see cref="Dataset"/>, or a source that streams its rows (for example through an ML.NET
/// <c>IDataView</c> cursor) without holding them all in memory.
/// </summary>
/// <remarks>
/// <para>
/// A source is read in passes. Each <see cref="OpenReader"/> starts one pass, in the order asked for, and its reader
/// copies the rows straight into a batch tensor and a label buffer that the caller owns, so that no pass needs memory
/// in proportion to the number of rows. A source gives the same rows in the same order each time it is read with the
/// same <see cref="BatchOrder"/>; a shuffled order is the source's to decide from the seed and the epoch (a
/// permutation where the rows can be reached at random, a bounded shuffle buffer where they cannot), so that the same
/// seed always gives the same batches.
/// </para>
/// <para>
/// Rows are numbered by their position in the source's own (sequential) order, from 0. <see cref="Where"/> selects rows
/// by that number, which is how validation and selection splits are defined without copying the data (for example a
/// seeded hash of the row number). A source whose row count is known only after a pass reports
/// <see cref="RowCount"/> as <see langword="null"/> until then.
/// </para>
/// <para>
/// A reader that meets a row it cannot read (a feature vector of the wrong size, a non-finite value, a source that
/// changed between passes) throws an exception that names the row's number.
/// </para>
/// </remarks>
public interface IBatchSource
{
    /// <summary>Gets the shape of one sample, for example [1, 28, 28] for a grey image.</summary>
    IReadOnlyList<int> SampleShape { get; }

    /// <summary>Gets the number of classes; every label lies in [0, <see cref="ClassCount"/>).</summary>
    int ClassCount { get; }

    /// <summary>Gets the number of rows, or <see langword="null"/> while it is not known (a streaming source before its first complete pass).</summary>
    long? RowCount { get; }

    /// <summary>Starts a pass over the rows.</summary>
    /// <param name="order">The order of the pass: <see cref="BatchOrder.Sequential"/>, or a seeded shuffle for an epoch.</param>
    /// <returns>A reader that the caller disposes.</returns>
    IBatchReader OpenReader(BatchOrder order);

    /// <summary>Returns the rows whose number satisfies <paramref name="rowFilter"/>, in the same relative order, as a source.</summary>
    /// <param name="rowFilter">
    /// Given a row's number (its zero-based position in this source's sequential order), whether to keep the row. It must
    /// be a pure function of the number: it may be called more than once for a row, and from any thread.
    /// </param>
    /// <returns>The selected rows; their numbers start again from 0.</returns>
    IBatchSource Where(Func<long, bool> rowFilter);
}
