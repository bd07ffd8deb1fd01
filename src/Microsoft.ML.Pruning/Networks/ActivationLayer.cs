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

    /// <summary>
    /// Gets the unit the engine's own element-wise layers may be split at to run on several threads (values, a whole
    /// number of cache lines), or 0 to run <see cref="Apply"/> and <see cref="Derive"/> once over the whole tensor.
    /// </summary>
    private protected virtual int SplitUnit => 0;

    /// <inheritdoc/>
    public override FloatTensor Forward(FloatTensor input, bool training)
    {
        var output = Ensure(ref _output, input.Shape);
        if (!Split(input.Length, (start, length) => Apply(input.Span.Slice(start, length), output.Span.Slice(start, length))))
        {
            Apply(input.Span, output.Span);
        }

        _input = training ? input : null;
        return output;
    }

    /// <summary>Gets whether <see cref="ForwardInPlace"/> may be used: the engine's element-wise activations.</summary>
    internal bool SupportsInPlace => SplitUnit > 0;

    /// <summary>
    /// Applies the activation over <paramref name="input"/> itself, for an inference pass whose producer has no other
    /// consumer (<see cref="Network"/>'s fusion); the layer keeps nothing for a backward pass.
    /// </summary>
    /// <param name="input">The producer's output, overwritten.</param>
    /// <returns><paramref name="input"/>.</returns>
    internal FloatTensor ForwardInPlace(FloatTensor input)
    {
        if (!Split(input.Length, (start, length) => Apply(input.Span.Slice(start, length), input.Span.Slice(start, length))))
        {
            Apply(input.Span, input.Span);
        }

        _input = null;
        return input;
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
        var input = _input;
        var output = _output;
        if (!Split(input.Length, (start, length) => Derive(input.Span.Slice(start, length), output.Span.Slice(start, length), outputGradient.Span.Slice(start, length), inputGradient.Span.Slice(start, length))))
        {
            Derive(input.Span, output.Span, outputGradient.Span, inputGradient.Span);
        }

        return inputGradient;
    }

    // Runs `body` over whole units of the tensor on every thread, when the layer allows it and the tensor is worth it.
    private bool Split(int length, Action<int, int> body)
    {
        const int MinimumPerThread = 16384;
        int unit = SplitUnit, units = unit == 0 ? 0 : (length + unit - 1) / unit;
        int parts = Math.Min(WorkerPool.Parts, length / MinimumPerThread);
        if (unit == 0 || parts <= 1)
        {
            return false;
        }

        WorkerPool.Run(parts, part =>
        {
            int start = (int)((long)units * part / parts) * unit, end = Math.Min(length, (int)((long)units * (part + 1) / parts) * unit);
            body(start, end - start);
        });
        return true;
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
