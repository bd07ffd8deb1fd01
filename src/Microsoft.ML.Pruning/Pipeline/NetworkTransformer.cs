using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Onnx;
using Microsoft.ML.Pruning.Pruning;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning;

/// <summary>
/// A fitted pipeline: the (pruned) network, the report of how it got there, and scoring. <see cref="Transform"/> is lazy,
/// as in ML.NET: it returns at once, and the scores are computed when first read.
/// </summary>
public sealed class NetworkTransformer
{
    internal NetworkTransformer(Network network, PruningReport report, IReadOnlyList<PruningReport> stageReports, bool cancelled)
    {
        Network = network;
        Report = report;
        StageReports = stageReports;
        Cancelled = cancelled;
    }

    /// <summary>Gets the network (pruned, when a pruning stage ran). Scoring reads it; do not change it while scoring.</summary>
    public Network Network { get; }

    /// <summary>Gets the report of the whole pipeline: the model before the first stage, after the last, and every step.</summary>
    public PruningReport Report { get; }

    /// <summary>Gets one report per stage, in order.</summary>
    public IReadOnlyList<PruningReport> StageReports { get; }

    /// <summary>Gets whether the fit was cancelled; the network is then the best found before the cancellation.</summary>
    public bool Cancelled { get; }

    /// <summary>Scores a data set with the network. Nothing is computed until the scores are read.</summary>
    /// <param name="data">Data with the model's feature shape.</param>
    /// <returns>The data with <see cref="ColumnNames.Score"/> and <see cref="ColumnNames.PredictedLabel"/> columns.</returns>
    /// <exception cref="ArgumentException">The features do not have the model's input shape.</exception>
    public ScoredDataset Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var schema = GetOutputSchema(DatasetSchema.Of(data));
        return new ScoredDataset(data, Network, schema);
    }

    /// <summary>Predicts the schema <see cref="Transform"/> produces for data of the given schema.</summary>
    /// <param name="inputSchema">The input schema.</param>
    /// <returns>The input columns plus <see cref="ColumnNames.Score"/> and <see cref="ColumnNames.PredictedLabel"/>.</returns>
    /// <exception cref="ArgumentException">The features are missing or do not have the model's input shape.</exception>
    public DatasetSchema GetOutputSchema(DatasetSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return OutputSchema(inputSchema, Network.InputShape, Network.OutputShape);
    }

    /// <summary>Saves the network as ONNX (IR 8, opset 13), atomically, for ML.NET's OnnxTransformer or ONNX Runtime.</summary>
    /// <param name="path">The file path.</param>
    public void SaveOnnx(string path) => OnnxModel.Save(Network, path);

    /// <summary>Saves the network in the library's native format, atomically; <see cref="ModelCatalog.Load"/> reads it back.</summary>
    /// <param name="path">The file path.</param>
    public void Save(string path) => NetworkSerializer.Save(Network, path);

    internal static DatasetSchema OutputSchema(DatasetSchema input, int[] modelInput, int[] modelOutput)
    {
        var features = input[ColumnNames.Features]
            ?? throw new ArgumentException($"The data has no '{ColumnNames.Features}' column (columns: {input}).", nameof(input));
        if (features.IsInteger || !features.Shape.SequenceEqual(modelInput))
        {
            bool sameLength = Tensor.ComputeLength(features.Shape.ToArray()) == Tensor.ComputeLength(modelInput);
            throw new ArgumentException(
                $"Column '{ColumnNames.Features}' has shape {Tensor.FormatShape(features.Shape.ToArray())} but the model expects {Tensor.FormatShape(modelInput)}" +
                (sameLength ? "; reshape the data set (Dataset.Reshape or Flatten) first." : "."), nameof(input));
        }

        foreach (string name in new[] { ColumnNames.Score, ColumnNames.PredictedLabel })
        {
            if (input[name] is not null)
            {
                throw new ArgumentException($"The data already has a '{name}' column; scoring would overwrite it.", nameof(input));
            }
        }

        return new DatasetSchema([.. input.Columns, new SchemaColumn(ColumnNames.Score, modelOutput, false), new SchemaColumn(ColumnNames.PredictedLabel, [], true)]);
    }
}
