using System.Collections.Concurrent;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;
using Microsoft.ML.Pruning.Training;

namespace Microsoft.ML.Pruning.Stages;

/// <summary>
/// Scores rows with a network, safely from several threads at once: a network keeps its activations between passes,
/// so each concurrent caller borrows its own copy from a pool. Scores are class probabilities: a network that ends in
/// <see cref="Softmax"/> already gives them; any other gets a softmax over its outputs.
/// </summary>
internal sealed class NetworkScorer
{
    private const int SmallBatchRows = 8;
    private const int MaxBatchRows = 1024;
    private readonly Network _network;
    private readonly ConcurrentBag<Network> _idle = new();
    private readonly int? _threads;
    private readonly bool _endsInSoftmax;

    public NetworkScorer(Network network, int? threads)
    {
        _network = network;
        _threads = threads;
        _endsInSoftmax = network.Nodes.Count > 0 && network.Nodes[^1].Layer is Softmax;
        FeatureCount = FloatTensor.ComputeLength(network.InputShape);
        ClassCount = FloatTensor.ComputeLength(network.OutputShape);
        // Batches as large as the inference budget allows: a network with huge per-sample activations scores a few rows
        // at a time instead of asking for a tensor past the engine's limits.
        BatchRows = BatchMemory.Choose(network, MaxBatchRows, null, training: false).BatchSize;
        _idle.Add(NetworkSerializer.Clone(network));
    }

    /// <summary>Gets the rows a batch of <see cref="Score"/> may hold: up to 1,024, fewer where their activations would pass <see cref="BatchMemory.InferenceBudget"/>.</summary>
    public int BatchRows { get; }

    /// <summary>Gets the number of input values per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Gets the number of classes (scores per row).</summary>
    public int ClassCount { get; }

    /// <summary>Scores <paramref name="rows"/> rows.</summary>
    /// <param name="features">The rows' features, row-major, <c>rows * FeatureCount</c> values; the array is read as the input tensor.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="scores">Receives <c>rows * ClassCount</c> probabilities.</param>
    public void Score(float[] features, int rows, Span<float> scores)
    {
        if (!_idle.TryTake(out var network))
        {
            network = NetworkSerializer.Clone(_network);
        }

        try
        {
            // A few rows are cheaper on the calling thread than split across workers (waking them costs more than the work).
            using var scope = ComputeSettings.UseDegreeOfParallelism(rows < SmallBatchRows ? 1 : _threads);
            var input = new FloatTensor(features, [rows, .. _network.InputShape]);
            var output = network.Forward(input).Span;
            int classes = ClassCount;
            for (int i = 0; i < rows; i++)
            {
                var logits = output.Slice(i * classes, classes);
                var row = scores.Slice(i * classes, classes);
                if (_endsInSoftmax)
                {
                    logits.CopyTo(row);
                }
                else
                {
                    Softmax.SoftmaxRow(logits, row);
                }
            }
        }
        finally
        {
            _idle.Add(network);
        }
    }

    /// <summary>Returns the 0-based index of the highest score of a row (the first on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> scores)
    {
        int best = 0;
        for (int i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }

        return best;
    }
}
