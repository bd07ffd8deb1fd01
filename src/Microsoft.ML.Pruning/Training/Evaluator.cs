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
    /// <param name="data">The data, whose sample shape matches the network's input: a <see cref="Dataset"/> or any other <see cref="IBatchSource"/>.</param>
    /// <param name="loss">
    /// The loss to report. The default is softmax cross-entropy, computed on the logits of a network that ends in a
    /// Softmax (<see cref="Network.OutputIsProbability"/>).
    /// </param>
    /// <param name="batchSize">The batch size. The default is 1024; lowered when a batch would not fit in memory.</param>
    /// <param name="cancellationToken">Stops the evaluation between batches.</param>
    /// <returns>The accuracy and mean loss.</returns>
    /// <exception cref="ArgumentException">The data do not fit the network, or a feature value is not finite; the message names the row.</exception>
    public static EvaluationResult Evaluate(Network network, IBatchSource data, Loss? loss = null, int batchSize = 1024, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        CheckCompatible(network, data);
        loss ??= new SoftmaxCrossEntropyLoss();

        // The logits of a network that ends in a Softmax, when the loss applies its own: the arg-max is the same.
        int outputNode = network.Nodes.Count == 0 ? -1 : loss.ScoredNode(network);
        int size = BatchMemory.Choose(network, batchSize, data.RowCount, training: false).BatchSize;
        return Run(data, size, (features, labels) => EvaluateBatch(network, loss, outputNode, features, labels), cancellationToken);
    }

    /// <summary>Evaluates one batch on the managed engine in inference mode.</summary>
    /// <param name="network">The network.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="outputNode">The node the loss reads, or -1 for a network without nodes.</param>
    /// <param name="features">The batch.</param>
    /// <param name="labels">Its labels.</param>
    /// <returns>The mean loss and the number correct.</returns>
    internal static BatchOutcome EvaluateBatch(Network network, Loss loss, int outputNode, FloatTensor features, ReadOnlySpan<int> labels)
    {
        var output = network.Forward(features, training: false);
        output = network.OutputOf(outputNode) ?? output;
        return new BatchOutcome(loss.Compute(output, labels, null), CountCorrect(output, labels));
    }

    /// <summary>Evaluates every row of <paramref name="data"/> in order, batch by batch, with <paramref name="evaluateBatch"/>.</summary>
    /// <param name="data">The data.</param>
    /// <param name="batchSize">The batch size.</param>
    /// <param name="evaluateBatch">Evaluates one batch.</param>
    /// <param name="cancellationToken">Checked before each batch.</param>
    /// <returns>The accuracy and mean loss over the rows.</returns>
    internal static EvaluationResult Run(IBatchSource data, int batchSize, BatchEvaluation evaluateBatch, CancellationToken cancellationToken)
    {
        int capacity = data.RowCount is { } rows ? (int)Math.Clamp(rows, 1, batchSize) : batchSize;
        var features = new FloatTensor([capacity, .. data.SampleShape]);
        var labels = new int[capacity];
        double totalLoss = 0;
        long correct = 0, count = 0;
        using var reader = data.OpenReader(BatchOrder.Sequential);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int read = reader.Read(features, labels, cancellationToken);
            if (read == 0)
            {
                break;
            }

            var outcome = evaluateBatch(features, labels.AsSpan(0, read));
            totalLoss += outcome.Loss * (double)read;
            correct += outcome.Correct;
            count += read;
        }

        return count == 0
            ? new EvaluationResult(float.NaN, float.NaN, 0)
            : new EvaluationResult((float)correct / count, (float)(totalLoss / count), (int)count);
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

    /// <summary>
    /// Checks that the network takes the data's samples and scores all their classes, and, for a <see cref="Dataset"/>,
    /// that every feature value is finite.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="data">The data.</param>
    /// <param name="dataName">The data's argument name, for the exception (for example <c>validation</c>).</param>
    /// <exception cref="ArgumentException">The shapes do not fit, or a feature value is not finite; the exception names <paramref name="dataName"/> or the network.</exception>
    internal static void CheckCompatible(Network network, IBatchSource data, string dataName = "data")
    {
        if (!data.SampleShape.SequenceEqual(network.InputShape))
        {
            throw new ArgumentException($"The {(dataName == "data" ? "data" : dataName + " data")}'s samples are {FloatTensor.FormatShape(data.SampleShape.ToArray())} but the network expects {FloatTensor.FormatShape(network.InputShape)}.", dataName);
        }

        var output = network.OutputShape;
        if (output.Length != 1 || output[0] < data.ClassCount)
        {
            throw new ArgumentException($"The network's output {FloatTensor.FormatShape(output)} cannot score {data.ClassCount} classes.", nameof(network));
        }

        (data as Dataset)?.EnsureFinite(dataName);
    }
}

/// <summary>Evaluates one batch (a delegate, because a span cannot be a type argument).</summary>
/// <param name="features">The batch.</param>
/// <param name="labels">Its labels.</param>
/// <returns>The mean loss and the number correct.</returns>
internal delegate BatchOutcome BatchEvaluation(FloatTensor features, ReadOnlySpan<int> labels);
