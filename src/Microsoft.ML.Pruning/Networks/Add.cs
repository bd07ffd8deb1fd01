using Microsoft.ML.Pruning.Tensors;

namespace Microsoft.ML.Pruning.Networks;

/// <summary>Adds two inputs of the same shape element-wise (a residual connection).</summary>
/// <param name="name">The layer's name.</param>
public sealed class Add(string? name = null) : Layer(name)
{
    private readonly Tensor?[] _inputGradients = new Tensor?[2];
    private Tensor? _output;

    /// <inheritdoc/>
    public override int InputCount => 2;

    /// <inheritdoc/>
    public override int[] GetOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        if (inputShapes.Count != 2)
        {
            throw ShapeError($"expects 2 inputs, got {inputShapes.Count}.");
        }

        if (!inputShapes[0].AsSpan().SequenceEqual(inputShapes[1]))
        {
            throw ShapeError($"inputs {Tensor.FormatShape(inputShapes[0])} and {Tensor.FormatShape(inputShapes[1])} differ in shape.");
        }

        return (int[])inputShapes[0].Clone();
    }

    /// <inheritdoc/>
    public override long CountMultiplyAdds(IReadOnlyList<int[]> inputShapes) => Tensor.ComputeLength(inputShapes[0]);

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        if (inputs.Count != 2 || !inputs[0].HasShape(inputs[1].Shape))
        {
            throw ShapeError("expects 2 inputs of the same shape.");
        }

        if (_output is null)
        {
            _output = new Tensor(inputs[0].Shape);
        }
        else if (!_output.HasShape(inputs[0].Shape))
        {
            _output.Resize(inputs[0].Shape);
        }

        VectorOps.Add(inputs[0].Span, inputs[1].Span, _output.Span);
        return _output;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor?> Backward(Tensor outputGradient)
    {
        // The gradient passes unchanged to both inputs; the network sums it where a tensor feeds several nodes.
        _inputGradients[0] = ComputeInputGradient ? outputGradient : null;
        _inputGradients[1] = ComputeInputGradient ? outputGradient : null;
        return _inputGradients;
    }
}
