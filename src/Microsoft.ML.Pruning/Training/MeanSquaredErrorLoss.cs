using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Training;

/// <summary>
/// The mean over all elements of the squared difference between outputs and targets (PyTorch's MSELoss, reduction "mean").
/// With integer labels the target is the one-hot vector of the label.
/// </summary>
public sealed class MeanSquaredErrorLoss : Loss
{
    /// <inheritdoc/>
    public override float Compute(FloatTensor output, ReadOnlySpan<int> labels, FloatTensor? gradient)
    {
        var (batch, classes) = Validate(output, labels, gradient);
        double total = 0;
        float scale = 2f / (batch * classes);
        for (int n = 0; n < batch; n++)
        {
            for (int j = 0; j < classes; j++)
            {
                int i = (n * classes) + j;
                float difference = output.Span[i] - (labels[n] == j ? 1f : 0f);
                total += difference * difference;
                if (gradient is not null)
                {
                    gradient.Span[i] = scale * difference;
                }
            }
        }

        return (float)(total / (batch * classes));
    }

    /// <summary>Computes the mean squared error against real-valued targets.</summary>
    /// <param name="output">The outputs.</param>
    /// <param name="target">The targets, of the same shape.</param>
    /// <param name="gradient">Receives the gradient with respect to the outputs, or <see langword="null"/>.</param>
    /// <returns>The mean loss.</returns>
    public float Compute(FloatTensor output, FloatTensor target, FloatTensor? gradient)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        if (!output.HasShape(target.Shape))
        {
            throw new ArgumentException($"Outputs {FloatTensor.FormatShape(output.Shape)} and targets {FloatTensor.FormatShape(target.Shape)} differ in shape.", nameof(target));
        }

        if (gradient is not null && !gradient.HasShape(output.Shape))
        {
            gradient.Resize(output.Shape);
        }

        double total = 0;
        float scale = 2f / output.Length;
        for (int i = 0; i < output.Length; i++)
        {
            float difference = output.Span[i] - target.Span[i];
            total += difference * difference;
            if (gradient is not null)
            {
                gradient.Span[i] = scale * difference;
            }
        }

        return (float)(total / output.Length);
    }
}
