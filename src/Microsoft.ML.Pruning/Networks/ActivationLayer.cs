using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>An element-wise activation whose derivative is a function of its output (or input).</summary>
public abstract class ActivationLayer : UnaryLayer
{
    private FloatTensor? _output;
    private FloatTensor? _inputGradient;
    private FloatTensor? _input;

    /// <summary>Initializes the layer.</summary>
    /// <param name="name">The layer's name.</param>
    protected ActivationLayer(string? name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes) => (int[])SingleInput(inputShapes).Clone();

    /// <inheritdoc/>
    public override FloatTensor Forward(FloatTensor input, bool training)
    {
        var output = Ensure(ref _output, input.Shape);
        Apply(input.Span, output.Span);
        _input = training ? input : null;
        return output;
    }

    /// <inheritdoc/>
    protected override FloatTensor? BackwardCore(FloatTensor outputGradient)
    {
        if (_input is null || _output is null)
        {
            throw new InvalidOperationException($"Layer '{Name}': Backward needs a preceding training Forward.");
        }

        if (!ComputeInputGradient)
        {
            return null;
        }

        var inputGradient = Ensure(ref _inputGradient, _output.Shape);
        Derive(_input.Span, _output.Span, outputGradient.Span, inputGradient.Span);
        return inputGradient;
    }

    /// <summary>Computes the activation.</summary>
    /// <param name="input">The input values.</param>
    /// <param name="output">The output values.</param>
    protected abstract void Apply(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Computes the input gradient.</summary>
    /// <param name="input">The forward input.</param>
    /// <param name="output">The forward output.</param>
    /// <param name="outputGradient">The gradient with respect to the output.</param>
    /// <param name="inputGradient">The gradient with respect to the input.</param>
    protected abstract void Derive(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient);
}
