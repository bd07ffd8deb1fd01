using Microsoft.ML.Pruning.Data;
using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Training;

/// <summary>The accuracy and mean loss of a network on a dataset.</summary>
/// <param name="Accuracy">The fraction of samples whose highest output is the label.</param>
/// <param name="Loss">The mean loss.</param>
/// <param name="Count">The number of samples.</param>
public sealed record EvaluationResult(float Accuracy, float Loss, int Count);

/// <summary>Evaluates classification networks.</summary>
public static class Evaluator
{
    /// <summary>Runs the network over <paramref name="data"/> in inference mode.</summary>
    /// <param name="network">The network; its output must be [classes].</param>
    /// <param name="data">The data, whose sample shape matches the network's input.</param>
    /// <param name="loss">
    /// The loss to report. The default is softmax cross-entropy, computed on the logits of a network that ends in a
    /// Softmax (<see cref="Network.OutputIsProbability"/>).
    /// </param>
    /// <param name="batchSize">The batch size. The default is 1024.</param>
    /// <param name="cancellationToken">Stops the evaluation between batches.</param>
    /// <returns>The accuracy and mean loss.</returns>
    public static EvaluationResult Evaluate(Network network, Dataset data, Loss? loss = null, int batchSize = 1024, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        CheckCompatible(network, data);
        loss ??= new SoftmaxCrossEntropyLoss();

        // The logits of a network that ends in a Softmax, when the loss applies its own: the arg-max is the same.
        int scored = network.Nodes.Count == 0 ? -1 : loss.ScoredNode(network);
        var features = new FloatTensor([Math.Min(batchSize, Math.Max(data.Count, 1)), .. data.SampleShape]);
        var labels = new int[batchSize];
        var indices = new int[batchSize];
        double totalLoss = 0;
        int correct = 0;
        for (int start = 0; start < data.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(batchSize, data.Count - start);
            for (int i = 0; i < count; i++)
            {
                indices[i] = start + i;
            }

            data.CopyBatch(indices.AsSpan(0, count), features, labels.AsSpan(0, count));
            var output = network.Forward(features, training: false);
            output = network.OutputOf(scored) ?? output;
            totalLoss += loss.Compute(output, labels.AsSpan(0, count), null) * (double)count;
            correct += CountCorrect(output, labels.AsSpan(0, count));
        }

        return data.Count == 0
            ? new EvaluationResult(float.NaN, float.NaN, 0)
            : new EvaluationResult((float)correct / data.Count, (float)(totalLoss / data.Count), data.Count);
    }

    /// <summary>Counts the rows of <paramref name="output"/> whose largest value is at the label's index.</summary>
    /// <param name="output">The outputs, [batch, classes].</param>
    /// <param name="labels">The labels.</param>
    /// <returns>The number of correct predictions.</returns>
    public static int CountCorrect(FloatTensor output, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(output);
        int classes = output.Dim(-1), correct = 0;
        for (int n = 0; n < labels.Length; n++)
        {
            if (ArgMax(output.Span.Slice(n * classes, classes)) == labels[n])
            {
                correct++;
            }
        }

        return correct;
    }

    /// <summary>Returns the index of the largest value (the first on ties).</summary>
    /// <param name="values">The values.</param>
    /// <returns>The index.</returns>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int j = 1; j < values.Length; j++)
        {
            if (values[j] > values[best])
            {
                best = j;
            }
        }

        return best;
    }

    /// <summary>Checks that the network takes the data's samples and scores all its classes.</summary>
    /// <param name="network">The network.</param>
    /// <param name="data">The data.</param>
    /// <param name="dataName">The data's argument name, for the exception (for example <c>validation</c>).</param>
    /// <exception cref="ArgumentException">The shapes do not fit; the exception names <paramref name="dataName"/> or the network.</exception>
    internal static void CheckCompatible(Network network, Dataset data, string dataName = "data")
    {
        if (!data.SampleShape.AsSpan().SequenceEqual(network.InputShape))
        {
            throw new ArgumentException($"The {(dataName == "data" ? "data" : dataName + " data")}'s samples are {FloatTensor.FormatShape(data.SampleShape)} but the network expects {FloatTensor.FormatShape(network.InputShape)}.", dataName);
        }

        var output = network.OutputShape;
        if (output.Length != 1 || output[0] < data.ClassCount)
        {
            throw new ArgumentException($"The network's output {FloatTensor.FormatShape(output)} cannot score {data.ClassCount} classes.", nameof(network));
        }
    }
}
