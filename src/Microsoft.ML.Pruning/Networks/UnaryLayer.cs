using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>A layer with exactly one input.</summary>
public abstract class UnaryLayer : Layer
{
    private readonly FloatTensor?[] _inputGradient = new FloatTensor?[1];

    /// <summary>Initializes the layer with a name.</summary>
    /// <param name="name">The layer's name.</param>
    protected UnaryLayer(string? name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public sealed override FloatTensor Forward(IReadOnlyList<FloatTensor> inputs, bool training)
    {
        if (inputs.Count != 1)
        {
            throw ShapeError($"expects 1 input, got {inputs.Count}.");
        }

        return Forward(inputs[0], training);
    }

    /// <inheritdoc/>
    public sealed override IReadOnlyList<FloatTensor?> Backward(FloatTensor outputGradient)
    {
        _inputGradient[0] = BackwardCore(outputGradient);
        return _inputGradient;
    }

    /// <summary>Runs the forward pass on one batch.</summary>
    /// <param name="input">The batch.</param>
    /// <param name="training">Whether the pass is for training.</param>
    /// <returns>The output, owned by the layer.</returns>
    public abstract FloatTensor Forward(FloatTensor input, bool training);

    /// <summary>Runs the backward pass; returns the input gradient, or <see langword="null"/> when it is not computed.</summary>
    /// <param name="outputGradient">The gradient with respect to the output.</param>
    /// <returns>The gradient with respect to the input.</returns>
    protected abstract FloatTensor? BackwardCore(FloatTensor outputGradient);

    /// <summary>Resizes <paramref name="buffer"/> to <paramref name="shape"/>, creating it when needed.</summary>
    /// <param name="buffer">The reusable buffer.</param>
    /// <param name="shape">The required shape.</param>
    /// <returns>The buffer.</returns>
    protected static FloatTensor Ensure(ref FloatTensor? buffer, int[] shape)
    {
        if (buffer is null)
        {
            buffer = new FloatTensor(shape);
        }
        else if (!buffer.HasShape(shape))
        {
            buffer.Resize(shape);
        }

        return buffer;
    }

    /// <summary>Returns <paramref name="shape"/> with the batch dimension <paramref name="batch"/> prepended.</summary>
    /// <param name="batch">The batch size.</param>
    /// <param name="shape">The per-sample shape.</param>
    /// <returns>The batch shape.</returns>
    protected static int[] WithBatch(int batch, ReadOnlySpan<int> shape)
    {
        var result = new int[shape.Length + 1];
        result[0] = batch;
        shape.CopyTo(result.AsSpan(1));
        return result;
    }
}
