using Microsoft.ML.Pruning.Networks;
using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Training;

/// <summary>Softmax followed by the negative log-likelihood of the true class, on logits (PyTorch's CrossEntropyLoss).</summary>
/// <remarks>
/// For a network that ends in a Softmax (<see cref="Network.OutputIsProbability"/>) the trainer, the evaluator and the
/// Taylor criterion give this loss the Softmax's input, so the loss is the cross-entropy of the network's own
/// probabilities.
/// </remarks>
public sealed class SoftmaxCrossEntropyLoss : Loss
{
    /// <inheritdoc/>
    internal override bool AppliesSoftmax => true;

    private float[] _probabilities = [];

    /// <inheritdoc/>
    public override float Compute(FloatTensor output, ReadOnlySpan<int> labels, FloatTensor? gradient)
    {
        var (batch, classes) = Validate(output, labels, gradient);
        if (_probabilities.Length < classes)
        {
            _probabilities = new float[classes];
        }

        var probabilities = _probabilities.AsSpan(0, classes);
        double total = 0;
        for (int n = 0; n < batch; n++)
        {
            var logits = output.Span.Slice(n * classes, classes);
            Softmax.SoftmaxRow(logits, probabilities);

            // log p = z - max - log(sum(exp(z - max))): stable even when p underflows.
            float max = float.NegativeInfinity;
            foreach (float z in logits)
            {
                max = MathF.Max(max, z);
            }

            double sum = 0;
            foreach (float z in logits)
            {
                sum += Math.Exp(z - max);
            }

            total -= logits[labels[n]] - max - Math.Log(sum);
            if (gradient is not null)
            {
                var row = gradient.Span.Slice(n * classes, classes);
                for (int j = 0; j < classes; j++)
                {
                    row[j] = probabilities[j] / batch;
                }

                row[labels[n]] -= 1f / batch;
            }
        }

        return (float)(total / batch);
    }
}
