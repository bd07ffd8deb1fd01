using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>A fully connected layer: y = x · Wᵀ + b, with W stored as [outputs, inputs] as in PyTorch and ONNX Gemm(transB=1).</summary>
public sealed class Dense : UnaryLayer
{
    private readonly Parameter[] _parameters;
    private FloatTensor? _output;
    private FloatTensor? _inputGradient;
    private FloatTensor? _input;

    /// <summary>Creates a dense layer with zero weights; a <see cref="NetworkBuilder"/> or <see cref="Layer.ResetParameters"/> initializes them.</summary>
    /// <param name="inputs">The number of input features.</param>
    /// <param name="outputs">The number of output units.</param>
    /// <param name="useBias">Whether the layer adds a bias.</param>
    /// <param name="name">The layer's name.</param>
    public Dense(int inputs, int outputs, bool useBias = true, string? name = null)
        : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        Weight = new Parameter("weight", new FloatTensor(outputs, inputs));
        Bias = useBias ? new Parameter("bias", new FloatTensor(outputs)) : null;
        _parameters = Bias is null ? [Weight] : [Weight, Bias];
    }

    /// <summary>Gets the weight, shape [outputs, inputs].</summary>
    public Parameter Weight { get; }

    /// <summary>Gets the bias, shape [outputs], or <see langword="null"/>.</summary>
    public Parameter? Bias { get; }

    /// <summary>Gets the number of input features.</summary>
    public int Inputs => Weight.Value.Dim(1);

    /// <summary>Gets the number of output units.</summary>
    public int Outputs => Weight.Value.Dim(0);

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        var shape = SingleInput(inputShapes, 1);
        if (shape[0] != Inputs)
        {
            throw ShapeError($"expects {Inputs} input features, got {shape[0]}.");
        }

        return [Outputs];
    }

    /// <inheritdoc/>
    public override long CountMultiplyAdds(IReadOnlyList<int[]> inputShapes) => (long)Inputs * Outputs;

    /// <inheritdoc/>
    public override void ResetParameters(Random random)
    {
        // PyTorch's nn.Linear default: kaiming_uniform(a = sqrt(5)) gives U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
        float bound = 1f / MathF.Sqrt(Inputs);
        Initializers.Uniform(Weight.Value.Span, bound, random);
        if (Bias is not null)
        {
            Initializers.Uniform(Bias.Value.Span, bound, random);
        }
    }

    /// <inheritdoc/>
    public override FloatTensor Forward(FloatTensor input, bool training)
    {
        if (input.Rank != 2 || input.Dim(1) != Inputs)
        {
            throw ShapeError($"expects input [batch, {Inputs}], got {FloatTensor.FormatShape(input.Shape)}.");
        }

        int batch = input.Dim(0);
        var output = Ensure(ref _output, [batch, Outputs]);
        Gemm.Multiply(false, true, batch, Outputs, Inputs, input.Span, Inputs, Weight.Value.Span, Inputs, output.Span, Outputs);
        if (Bias is not null)
        {
            VectorOps.AddRowToEachRow(output.Span, Bias.Value.Span);
        }

        _input = training ? input : null;
        return output;
    }

    /// <inheritdoc/>
    protected override FloatTensor? BackwardCore(FloatTensor outputGradient)
    {
        var input = _input ?? throw new InvalidOperationException($"Layer '{Name}': Backward needs a preceding training Forward.");
        int batch = input.Dim(0);

        if (ComputeParameterGradients)
        {
            // dW = dYᵀ · X  ([outputs, batch] x [batch, inputs]).
            Gemm.Multiply(true, false, Outputs, Inputs, batch, outputGradient.Span, Outputs, input.Span, Inputs, Weight.Gradient.Span, Inputs);
            if (Bias is not null)
            {
                VectorOps.SumRows(outputGradient.Span, Bias.Gradient.Span);
            }
        }

        if (!ComputeInputGradient)
        {
            return null;
        }

        // dX = dY · W  ([batch, outputs] x [outputs, inputs]).
        var inputGradient = Ensure(ref _inputGradient, [batch, Inputs]);
        Gemm.Multiply(false, false, batch, Inputs, Outputs, outputGradient.Span, Outputs, Weight.Value.Span, Inputs, inputGradient.Span, Inputs);
        return inputGradient;
    }
}
