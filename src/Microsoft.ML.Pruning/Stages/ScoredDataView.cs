namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// The lazy output of <see cref="NeuralNetworkTransformer.Transform"/>: the input's columns plus <c>Score</c> and
/// <c>PredictedLabel</c>, computed in batches only when a cursor reads them.
/// </summary>
internal sealed class ScoredDataView : IDataView
{
    private readonly IDataView _input;
    private readonly NeuralNetworkTransformer _model;

    public ScoredDataView(IDataView input, NeuralNetworkTransformer model, DataViewSchema schema)
    {
        _input = input;
        _model = model;
        Schema = schema;
    }

    /// <summary>Gets whether cursors may shuffle: no, rows are scored in the input's order.</summary>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public long? GetRowCount() => _input.GetRowCount();

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        int inputCount = _input.Schema.Count;
        var needed = columnsNeeded.ToArray();
        bool scoring = needed.Any(c => c.Index >= inputCount);
        var inputColumns = needed.Where(c => c.Index < inputCount).Select(c => _input.Schema[c.Index]).ToArray();
        var rows = _input.GetRowCursor(inputColumns);
        var features = scoring ? _input.GetRowCursor([_input.Schema[_model.Columns.Features]]) : null;
        return new ScoringCursor(this, rows, features, _model.Scorer, _model.Columns.Features, needed.Select(c => c.Index).ToHashSet());
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
