using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Training;

/// <summary>A classification loss over a batch of network outputs and integer labels, averaged over the batch.</summary>
public abstract class Loss
{
    /// <summary>Computes the mean loss of the batch and, when asked, its gradient with respect to the outputs.</summary>
    /// <param name="output">The network outputs, [batch, classes].</param>
    /// <param name="labels">One class index per sample.</param>
    /// <param name="gradient">Receives d(loss)/d(output), resized to the output's shape; <see langword="null"/> to skip it.</param>
    /// <returns>The mean loss.</returns>
    public abstract float Compute(FloatTensor output, ReadOnlySpan<int> labels, FloatTensor? gradient);

    /// <summary>
    /// Gets whether the loss applies a softmax to what it reads. Such a loss reads the logits of a network whose last
    /// layer is a Softmax (<see cref="Networks.Network.OutputIsProbability"/>), not its probabilities.
    /// </summary>
    internal virtual bool AppliesSoftmax => false;

    /// <summary>Gets the node of <paramref name="network"/> whose output this loss reads: the logits before a final Softmax when it applies its own.</summary>
    /// <param name="network">The network.</param>
    /// <returns>The node index.</returns>
    internal int ScoredNode(Networks.Network network) => AppliesSoftmax ? network.LogitsNode : network.Nodes.Count - 1;

    /// <summary>Checks that the outputs and labels fit together.</summary>
    /// <param name="output">The outputs.</param>
    /// <param name="labels">The labels.</param>
    /// <param name="gradient">The gradient buffer, resized when given.</param>
    /// <returns>The batch size and the number of classes.</returns>
    protected static (int Batch, int Classes) Validate(FloatTensor output, ReadOnlySpan<int> labels, FloatTensor? gradient)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.Rank != 2)
        {
            throw new ArgumentException($"The loss expects outputs [batch, classes], got {FloatTensor.FormatShape(output.Shape)}.", nameof(output));
        }

        int batch = output.Dim(0), classes = output.Dim(1);
        if (labels.Length != batch)
        {
            throw new ArgumentException($"{labels.Length} labels for a batch of {batch}.", nameof(labels));
        }

        foreach (int label in labels)
        {
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"A label is outside [0, {classes}).");
            }
        }

        if (gradient is not null && !gradient.HasShape(output.Shape))
        {
            gradient.Resize(output.Shape);
        }

        return (batch, classes);
    }
}
