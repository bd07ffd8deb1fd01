using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning;

/// <summary>
/// A data set with the scores of a <see cref="NetworkTransformer"/>. The scores are computed on first access (in batches
/// of 1,024) and then kept.
/// </summary>
public sealed class ScoredDataset
{
    private readonly Network _network;
    private readonly Lazy<(Tensor Scores, int[] Predicted)> _scores;

    internal ScoredDataset(Dataset data, Network network, DatasetSchema schema)
    {
        Data = data;
        Schema = schema;
        _network = network;
        _scores = new Lazy<(Tensor, int[])>(Compute, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Gets the input data (the <see cref="ColumnNames.Features"/> and <see cref="ColumnNames.Label"/> columns).</summary>
    public Dataset Data { get; }

    /// <summary>Gets the columns.</summary>
    public DatasetSchema Schema { get; }

    /// <summary>Gets whether the scores have been computed yet.</summary>
    public bool IsComputed => _scores.IsValueCreated;

    /// <summary>Gets the <see cref="ColumnNames.Score"/> column: [rows, classes] softmax probabilities.</summary>
    public Tensor Scores => _scores.Value.Scores;

    /// <summary>Gets the <see cref="ColumnNames.PredictedLabel"/> column: the arg-max class of each row.</summary>
    public IReadOnlyList<int> PredictedLabels => _scores.Value.Predicted;

    /// <summary>Gets the fraction of rows whose predicted label equals the <see cref="ColumnNames.Label"/> column.</summary>
    /// <returns>The accuracy in [0, 1].</returns>
    public double Accuracy()
    {
        var predicted = _scores.Value.Predicted;
        int correct = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            correct += predicted[i] == Data.Labels[i] ? 1 : 0;
        }

        return (double)correct / predicted.Length;
    }

    private (Tensor, int[]) Compute()
    {
        int rows = Data.Count, classes = _network.OutputShape[^1];
        var scores = new Tensor(rows, classes);
        var predicted = new int[rows];
        const int BatchSize = 1024;
        var batch = new Tensor([Math.Min(BatchSize, rows), .. Data.SampleShape]);
        var labels = new int[batch.Dim(0)];
        var indices = new int[batch.Dim(0)];
        bool probabilities = _network.Nodes.Count > 0 && _network.Nodes[^1].Layer is Networks.Softmax;
        for (int start = 0; start < rows; start += BatchSize)
        {
            int count = Math.Min(BatchSize, rows - start);
            if (count != batch.Dim(0))
            {
                batch.Resize([count, .. Data.SampleShape]);
                Array.Resize(ref labels, count);
                Array.Resize(ref indices, count);
            }

            for (int i = 0; i < count; i++)
            {
                indices[i] = start + i;
            }

            Data.CopyBatch(indices, batch, labels);
            var output = _network.Forward(batch);
            for (int i = 0; i < count; i++)
            {
                var row = scores.Span.Slice((start + i) * classes, classes);
                var logits = output.Span.Slice(i * classes, classes);
                if (probabilities)
                {
                    logits.CopyTo(row);
                }
                else
                {
                    Networks.Softmax.SoftmaxRow(logits, row);
                }

                predicted[start + i] = Evaluator.ArgMax(row);
            }
        }

        return (scores, predicted);
    }
}
