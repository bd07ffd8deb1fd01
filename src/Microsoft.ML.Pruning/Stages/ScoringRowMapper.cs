using Microsoft.ML.Data;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>Serves <c>CreatePredictionEngine</c>: maps one input row to a row with <c>Score</c> and <c>PredictedLabel</c>.</summary>
internal sealed class ScoringRowMapper : IRowToRowMapper
{
    private readonly NeuralNetworkTransformer _model;

    public ScoringRowMapper(DataViewSchema inputSchema, NeuralNetworkTransformer model, DataViewSchema outputSchema)
    {
        InputSchema = inputSchema;
        OutputSchema = outputSchema;
        _model = model;
    }

    /// <inheritdoc/>
    public DataViewSchema InputSchema { get; }

    /// <inheritdoc/>
    public DataViewSchema OutputSchema { get; }

    /// <inheritdoc/>
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        ArgumentNullException.ThrowIfNull(dependingColumns);
        var columns = dependingColumns.ToArray();
        var needed = columns.Where(c => c.Index < InputSchema.Count).Select(c => InputSchema[c.Index]).ToList();
        if (columns.Any(c => c.Index >= InputSchema.Count))
        {
            var features = InputSchema[_model.Columns.Features];
            if (!needed.Any(c => c.Index == features.Index))
            {
                needed.Add(features);
            }
        }

        return needed;
    }

    /// <inheritdoc/>
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(activeColumns);
        return new ScoringRow(input, OutputSchema, _model.Scorer, _model.Columns.Features, activeColumns.Select(c => c.Index).ToHashSet());
    }
}
