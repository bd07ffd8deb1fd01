using Microsoft.ML.Data;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// A cursor over <see cref="ScoredDataView"/>. Input columns come from a cursor over the input in step with this one; when
/// <c>Score</c> or <c>PredictedLabel</c> is active a second input cursor reads features ahead, a batch at a time, and
/// the network scores the whole batch in one pass.
/// </summary>
internal sealed class ScoringCursor : DataViewRowCursor
{
    private readonly ScoredDataView _view;
    private readonly DataViewRowCursor _rows;
    private readonly DataViewRowCursor? _features;
    private readonly NetworkScorer _scorer;
    private readonly HashSet<int> _active;
    private readonly int _inputCount;
    private readonly ValueGetter<VBuffer<float>>? _getFeatures;
    private readonly float[] _batch = [];
    private readonly float[] _scores = [];
    private VBuffer<float> _featureRow;
    private long _row = -1;
    private long _batchStart;
    private int _batchCount;

    public ScoringCursor(ScoredDataView view, DataViewRowCursor rows, DataViewRowCursor? features, NetworkScorer scorer, string featureColumn, HashSet<int> active)
    {
        _view = view;
        _rows = rows;
        _features = features;
        _scorer = scorer;
        _active = active;
        _inputCount = rows.Schema.Count;
        if (features is not null)
        {
            _getFeatures = features.GetGetter<VBuffer<float>>(features.Schema[featureColumn]);
            _batch = new float[scorer.BatchRows * scorer.FeatureCount];
            _scores = new float[scorer.BatchRows * scorer.ClassCount];
        }
    }

    public override DataViewSchema Schema => _view.Schema;

    public override long Position => _rows.Position;

    public override long Batch => _rows.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => _rows.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

    public override bool MoveNext()
    {
        if (!_rows.MoveNext())
        {
            return false;
        }

        _row++;
        if (_features is not null && _row >= _batchStart + _batchCount)
        {
            FillBatch();
        }

        return true;
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
        {
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor.");
        }

        if (column.Index < _inputCount)
        {
            return _rows.GetGetter<TValue>(_rows.Schema[column.Index]);
        }

        return column.Name == DefaultColumnNames.Score
            ? Typed<TValue, VBuffer<float>>(column, (ref VBuffer<float> value) => RowScores.Write(CurrentScores(), ref value))
            : Typed<TValue, uint>(column, (ref uint value) => value = RowScores.PredictedKey(CurrentScores()));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rows.Dispose();
            _features?.Dispose();
        }

        base.Dispose(disposing);
    }

    private static ValueGetter<TValue> Typed<TValue, TActual>(DataViewSchema.Column column, ValueGetter<TActual> getter) =>
        getter as ValueGetter<TValue>
        ?? throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}, not {typeof(TValue).Name}.");

    private ReadOnlySpan<float> CurrentScores()
    {
        int classes = _scorer.ClassCount;
        return _scores.AsSpan((int)(_row - _batchStart) * classes, classes);
    }

    private void FillBatch()
    {
        int width = _scorer.FeatureCount, count = 0;
        _batchStart = _row;
        while (count < _scorer.BatchRows && _features!.MoveNext())
        {
            _getFeatures!(ref _featureRow);
            _featureRow.CopyTo(_batch.AsSpan(count * width, width));
            count++;
        }

        _batchCount = count;
        if (count > 0)
        {
            _scorer.Score(_batch, count, _scores);
        }
    }
}
