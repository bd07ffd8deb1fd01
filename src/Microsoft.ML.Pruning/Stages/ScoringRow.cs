using Microsoft.ML.Data;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>One scored row over an input row: the network runs once per input position, when <c>Score</c> or <c>PredictedLabel</c> is read.</summary>
internal sealed class ScoringRow : DataViewRow
{
    private readonly DataViewRow _input;
    private readonly NetworkScorer _scorer;
    private readonly HashSet<int> _active;
    private readonly ValueGetter<VBuffer<float>> _getFeatures;
    private readonly float[] _features;
    private readonly float[] _scores;
    private VBuffer<float> _featureRow;
    private long _scoredPosition = -1;
    private bool _scored;

    public ScoringRow(DataViewRow input, DataViewSchema schema, NetworkScorer scorer, string featureColumn, HashSet<int> active)
    {
        _input = input;
        Schema = schema;
        _scorer = scorer;
        _active = active;
        _getFeatures = input.GetGetter<VBuffer<float>>(input.Schema[featureColumn]);
        _features = new float[scorer.FeatureCount];
        _scores = new float[scorer.ClassCount];
    }

    public override DataViewSchema Schema { get; }

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        int inputCount = _input.Schema.Count;
        if (column.Index < inputCount)
        {
            return _input.GetGetter<TValue>(_input.Schema[column.Index]);
        }

        ValueGetter<TValue>? getter = column.Name == DefaultColumnNames.Score
            ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => RowScores.Write(Current(), ref value)) as ValueGetter<TValue>
            : (ValueGetter<uint>)((ref uint value) => value = RowScores.PredictedKey(Current())) as ValueGetter<TValue>;
        return getter ?? throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}, not {typeof(TValue).Name}.");
    }

    private ReadOnlySpan<float> Current()
    {
        // PredictionEngine advances the input row's position for every prediction; a row read twice at one position is scored once.
        if (!_scored || _scoredPosition != _input.Position || _input.Position < 0)
        {
            _getFeatures(ref _featureRow);
            _featureRow.CopyTo(_features);
            _scorer.Score(_features, 1, _scores);
            _scoredPosition = _input.Position;
            _scored = true;
        }

        return _scores;
    }
}
